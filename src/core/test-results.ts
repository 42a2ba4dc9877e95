/**
 * What a test run reported, whatever the report's format: one outcome per test case, counts per
 * file, and the pass rate. The JUnit reader (./junit.ts) produces these; the smoke decisions
 * (./smoke/), the store and the pages read them.
 */

export type Outcome = 'passed' | 'failed' | 'errored' | 'skipped';

export interface TestCaseResult {
  /** Stable across runs (suite path + classname + name) so history can be kept per test. */
  id: string;
  name: string;
  classname: string | null;
  /** Enclosing suite names, outermost first, joined with " / "; "" when unnamed. */
  suite: string;
  file: string | null;
  line: number | null;
  outcome: Outcome;
  message: string | null;
  /** Failure/error text (usually a stack trace), trimmed to about 4 KB. */
  details: string | null;
  durationSeconds: number | null;
}

export interface Counts {
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  total: number;
}

export interface JUnitFile {
  fileName: string;
  tests: TestCaseResult[];
  counts: Counts;
  /** Tests that passed only after a re-run (Surefire `flakyFailure`/`flakyError`); counted as passed. */
  flakyReruns: number;
  /**
   * Test cases in the file after the first `maxTestCases`: counted by the pre-scan, never parsed,
   * so they are in neither `tests` nor `counts`. 0 when the whole file was read.
   */
  unread: number;
}

export type ParseResult =
  | { ok: true; file: JUnitFile }
  /**
   * `overLimit`: refused by a limit real results can reach (bytes, elements), rather than for not
   * being JUnit XML; such a file may hold failures nobody read (see decideConclusion in ./smoke/verdict.ts).
   */
  | { ok: false; fileName: string; error: string; overLimit?: true };

export function sumCounts(parts: Counts[]): Counts {
  const sum: Counts = { passed: 0, failed: 0, errored: 0, skipped: 0, total: 0 };
  for (const c of parts) {
    sum.passed += c.passed;
    sum.failed += c.failed;
    sum.errored += c.errored;
    sum.skipped += c.skipped;
    sum.total += c.total;
  }
  return sum;
}

/**
 * passed / (total - skipped), or null when nothing ran.
 * Skipped tests are excluded because a skip is a decision not to run (wrong platform, missing
 * service), not evidence either way: counting it as a failure would punish skipping on arm64,
 * counting it as a pass would let a suite that skips everything look healthy.
 */
export function passRate(c: Counts): number | null {
  const ran = c.total - c.skipped;
  return ran > 0 ? c.passed / ran : null;
}

/** Failed or errored: what a reader of a red run looks for. */
export const isFailing = (o: Outcome): boolean => o === 'failed' || o === 'errored';

/** The test's name as a reader knows it: with its class when the name does not already say it. */
export function displayName(t: TestCaseResult): string {
  return t.classname && !t.name.includes(t.classname) && t.classname !== t.file
    ? `${t.classname} › ${t.name}`
    : t.name;
}
