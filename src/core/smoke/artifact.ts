// A smoke-test artifact (zip bytes) → the results it holds, within ARTIFACT_LIMITS. Pure: bytes in,
// values out; never throws. This is the CPU-heavy part of collecting results, so it is the unit
// the local server hands to a worker thread (src/local/artifact-thread.ts); the values it returns
// are plain data so they cross a thread boundary as they are.
import { ARTIFACT_LIMITS, type ArtifactLimits } from '../artifact-limits';
import { readJUnitZip } from '../artifact-zip';
import { parseJUnit } from '../junit';
import type { ParseResult } from '../test-results';
import { combine, type SmokeSet, type Unread } from './verdict';

export interface SmokeArtifact {
  smoke: SmokeSet;
  /** Entries of the zip that could not be read (damaged, encrypted, not text); plain text. */
  problems: string[];
}

type SmokeArtifactLimits = Pick<ArtifactLimits, 'files' | 'unpackedBytes' | 'casesPerFile' | 'casesPerRun'>;

/**
 * Reads every JUnit XML file of the zip in order, each up to `casesPerFile` test cases and all of
 * them together up to `casesPerRun`; test cases past either cap are counted, not read, and said so.
 */
export function readSmokeArtifact(zip: Uint8Array, limits: Partial<SmokeArtifactLimits> = {}): SmokeArtifact {
  const lim: SmokeArtifactLimits = { ...ARTIFACT_LIMITS, ...limits };
  const contents = readJUnitZip(zip, { maxFiles: lim.files, maxTotalBytes: lim.unpackedBytes });

  const results: ParseResult[] = [];
  const fileCuts: string[] = [];
  const runCut = { cases: 0, files: [] as string[] };
  let read = 0;
  for (const f of contents.files) {
    const budget = Math.max(0, lim.casesPerRun - read);
    const byRun = budget < lim.casesPerFile;
    const r = parseJUnit(f.name, f.text, { maxTestCases: byRun ? budget : lim.casesPerFile });
    results.push(r);
    if (!r.ok) continue;
    read += r.file.counts.total;
    const unread = r.file.unread;
    if (unread === 0) continue;
    if (byRun) {
      runCut.cases += unread;
      runCut.files.push(f.name);
    } else {
      fileCuts.push(
        `${count(unread)} over the ${lim.casesPerFile.toLocaleString('en-US')}-per-file cap ${unread === 1 ? 'was' : 'were'} not read in ${f.name}; counts cover what was read.`,
      );
    }
  }

  const notes = [...fileCuts];
  if (runCut.cases > 0) {
    const shown = runCut.files.slice(0, 3).join(', ');
    const more = runCut.files.length > 3 ? ` and ${runCut.files.length - 3} more files` : '';
    notes.push(
      `${count(runCut.cases)} over the ${lim.casesPerRun.toLocaleString('en-US')}-per-run cap ${runCut.cases === 1 ? 'was' : 'were'} not read (in ${shown}${more}); counts cover what was read.`,
    );
  }
  for (const o of contents.overLimit) notes.push(`${capitalize(o)}.`);

  const unread: Unread = {
    cases: results.reduce((n, r) => n + (r.ok ? r.file.unread : 0), 0),
    // A file refused by its byte or element limit is listed with the unreadable files; its cases are unknown.
    uncounted: contents.overLimit.length > 0 || results.some((r) => !r.ok && r.overLimit === true),
    notes,
  };
  return { smoke: combine(results, unread), problems: contents.problems };
}

/** For what a limit outside the zip (the download size) left unread: nothing was read at all. */
export function unreadArtifact(note: string): SmokeSet {
  return combine([], { cases: 0, uncounted: true, notes: [note] });
}

const count = (n: number) => `${n.toLocaleString('en-US')} test case${n === 1 ? '' : 's'}`;
/** "the artifact holds …" starts a sentence; "results/x.xml was not read …" keeps its file name as it is. */
const capitalize = (s: string) => (s.startsWith('the ') ? `The ${s.slice(4)}` : s);
