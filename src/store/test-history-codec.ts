/**
 * How test outcomes are written in stored items: one letter each, P passed, F failed, E errored,
 * S skipped. Two packed records use them (test-pack.ts):
 *   - a run's tests (run-tests.ts): one code per test, and X for a test that passed in one matrix
 *     file and failed in another;
 *   - a test's recent history on a ref (test-standing.ts `recent`): one code per run, newest
 *     first, lower case when the test was flaky on that commit, so a test's pass rate and
 *     flakiness are one item read, not a query over its runs.
 * Pure: no I/O.
 */
import type { Outcome } from '../core/test-results';

/** Runs a branch's rolling pass rate and a test's recent pass rate are taken over. */
export const RECENT_RUNS = 20;

export type OutcomeCode = 'P' | 'F' | 'E' | 'S';
/** Codes in a run's outcome map: an outcome's, or X for a test that passed in one file and failed in another. */
export type RunOutcomeCode = OutcomeCode | 'X';

const CODES: Record<Outcome, OutcomeCode> = { passed: 'P', failed: 'F', errored: 'E', skipped: 'S' };

/** P passed, F failed, E errored, S skipped; lower case when the test was flaky on that commit. */
export function outcomeCode(outcome: Outcome, flaky: boolean): string {
  const c = CODES[outcome];
  return flaky ? c.toLowerCase() : c;
}

/** The outcome a code stands for (either case), or null for a letter that is none. */
export function outcomeOfCode(code: string): Outcome | null {
  switch (code.toUpperCase()) {
    case 'P':
      return 'passed';
    case 'F':
      return 'failed';
    case 'E':
      return 'errored';
    case 'S':
      return 'skipped';
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// A run's outcome map

/** A test's code in a run: X when its result files disagree (`passed` and `failed` count the files). */
export function runOutcomeCode(t: { outcome: Outcome; passed: number; failed: number }): RunOutcomeCode {
  if (t.passed > 0 && t.failed > 0) return 'X';
  return CODES[t.outcome];
}

/** One outcome for a run's code, to compare runs: X (it failed somewhere) and unknown codes count as failed. */
export function outcomeOfRunCode(code: RunOutcomeCode): Outcome {
  return code === 'X' ? 'failed' : (outcomeOfCode(code) ?? 'failed');
}

/** Whether a run's code says the test passed in some file, and failed (or errored) in some file. */
export function runCodeSides(code: RunOutcomeCode): { passed: boolean; failed: boolean } {
  return { passed: code === 'P' || code === 'X', failed: code === 'F' || code === 'E' || code === 'X' };
}

/**
 * One outcome for a test reported several times in one run (matrix files): any failure or error
 * wins (errors before failures only when nothing failed), then a pass, then a skip.
 */
export function aggregateOutcome(outcomes: Outcome[]): Outcome {
  if (outcomes.includes('failed')) return 'failed';
  if (outcomes.includes('errored')) return 'errored';
  if (outcomes.includes('passed')) return 'passed';
  return 'skipped';
}

// ---------------------------------------------------------------------------------------------
// A test's recent history on a ref

/** The newest run first, the oldest dropped beyond `window`. */
export function pushRecent(recent: string, code: string, window = RECENT_RUNS): string {
  return (code + recent).slice(0, Math.max(1, window));
}

/** Each run in `recent`, newest first: its outcome (null for a letter that is none) and whether the test was flaky. */
export function recentRuns(recent: string): { outcome: Outcome | null; flaky: boolean }[] {
  return [...recent].map((ch) => ({ outcome: outcomeOfCode(ch), flaky: ch !== ch.toUpperCase() }));
}

/**
 * Pass rate over the runs in `recent` that ran the test (skips excluded, as in passRate), and
 * whether it was flaky in any of them.
 */
export function recentStats(recent: string): { rate: number | null; ran: number; passed: number; flaky: boolean } {
  let ran = 0;
  let passed = 0;
  let flaky = false;
  for (const r of recentRuns(recent)) {
    if (r.outcome === null) continue;
    if (r.flaky) flaky = true;
    if (r.outcome === 'skipped') continue;
    ran++;
    if (r.outcome === 'passed') passed++;
  }
  return { rate: ran > 0 ? passed / ran : null, ran, passed, flaky };
}
