// How much of a smoke-test artifact the coordinator reads. Pure constants, in one place.
//
// The artifact is written by the tested code (on a pull request, possibly a fork's code), so each
// limit bounds the work one artifact can cost, in the order the work happens:
//
//   downloadBytes   the zip as GitHub serves it; checked against the listed size, the
//                   Content-Length and while streaming (src/github/artifacts.ts)
//   files           XML files read per zip; the rest are not opened (src/core/artifact-zip.ts)
//   fileBytes       one XML file unpacked, by the size the zip declares, enforced while inflating
//   unpackedBytes   all XML files of the zip unpacked, summed over declared sizes, before any inflating
//   depth           element nesting (JUnit nests three or four deep); deeper files are refused
//   elementsPerFile elements parsed per file (a test case with its failure, output and properties
//                   is a handful; 20 per test case on average is generous)
//   casesPerFile    test cases read from one file; the rest are counted, not read (src/core/junit.ts)
//   casesPerRun     test cases read from the whole artifact (src/core/smoke/artifact.ts)
//
// Entity declarations (DOCTYPE) are refused outright and the XML parser never expands entities, so
// there is no expansion limit to tune: "billion laughs" cannot start.
//
// The case caps are sized by what the results are used for, not by parse speed: every test of a run
// is kept packed (src/store/run-tests.ts), the summary lists 25 failures and annotations are
// at most `annotations.max`; 20,000 cases keep the parsed results of a run in the low megabytes
// whatever the file sizes, and the thread that parses them (locally) or the Lambda well inside its
// memory. A smoke suite is expected to be far smaller.
//
// What a cap leaves unread never turns into a pass: see decideConclusion in ./smoke/verdict.ts.

export interface ArtifactLimits {
  downloadBytes: number;
  files: number;
  fileBytes: number;
  unpackedBytes: number;
  depth: number;
  elementsPerFile: number;
  casesPerFile: number;
  casesPerRun: number;
}

export const ARTIFACT_LIMITS: Readonly<ArtifactLimits> = Object.freeze({
  downloadBytes: 100 * 1024 * 1024,
  files: 200,
  fileBytes: 10 * 1024 * 1024,
  unpackedBytes: 50 * 1024 * 1024,
  depth: 32,
  elementsPerFile: 200_000,
  casesPerFile: 10_000,
  casesPerRun: 20_000,
});
