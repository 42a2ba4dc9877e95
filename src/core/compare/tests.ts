/**
 * One record per test for a run: a test several result files reported (one per matrix leg) is
 * merged, so comparisons across runs and targets are per test, not per file. Pure.
 */
import type { Outcome } from '../test-results';
import { isDuration } from './ratio';

/** What the comparisons need of a test result: ./junit.ts's TestCaseResult has all of it. */
export interface TimedTest {
  /** Stable across runs and targets (suite path + classname + name). */
  id: string;
  name: string;
  outcome: Outcome;
  /** The JUnit `time` attribute; null when the report has none. */
  durationSeconds: number | null;
}

export interface MergedTest {
  id: string;
  /** The first reported name. */
  name: string;
  /** Any failure wins, then an error, then a pass; skipped only when every report skipped it. */
  outcome: Outcome;
  /**
   * The mean time of the reports that passed with a time (null when none did). A mean, not a sum,
   * so two targets running different numbers of matrix legs still compare per test run.
   */
  durationSeconds: number | null;
}

const RANK: Record<Outcome, number> = { failed: 3, errored: 2, passed: 1, skipped: 0 };

/** Merged per test id, in the order ids first appear. */
export function mergeTests(tests: readonly TimedTest[]): Map<string, MergedTest> {
  const acc = new Map<string, { name: string; outcome: Outcome; sum: number; timed: number }>();
  for (const t of tests) {
    const a = acc.get(t.id) ?? { name: t.name, outcome: t.outcome, sum: 0, timed: 0 };
    if (RANK[t.outcome] > RANK[a.outcome]) a.outcome = t.outcome;
    if (t.outcome === 'passed' && isDuration(t.durationSeconds)) {
      a.sum += t.durationSeconds;
      a.timed++;
    }
    acc.set(t.id, a);
  }
  const out = new Map<string, MergedTest>();
  for (const [id, a] of acc)
    out.set(id, { id, name: a.name, outcome: a.outcome, durationSeconds: a.timed > 0 ? a.sum / a.timed : null });
  return out;
}
