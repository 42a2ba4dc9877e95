// Comparing runs: this run against the base branch's latest (newly failing, newly passing),
// attempts of one commit against each other (flaky tests), and recent runs of a ref (rolling
// pass rate). Pure: no I/O, no clock.
import { isFailing, passRate, sumCounts, type Counts, type Outcome, type TestCaseResult } from '../test-results';

export interface BaseDiff {
  newlyFailing: TestCaseResult[];
  newlyPassing: TestCaseResult[];
}

export interface TestOutcomeRecord {
  testId: string;
  name: string;
  outcome: Outcome;
  /** Which attempt / matrix file reported it, e.g. "attempt 2 · results-py3.11.xml". */
  source: string;
}

export interface FlakyTest {
  testId: string;
  name: string;
  passed: number;
  failed: number;
}

/**
 * Tests that fail now but did not fail on the base (including tests the base does not have), and
 * tests that pass now but failed on the base. A test seen in several matrix files counts as
 * failing if any of them failed. `base === null` (no base run known) → nothing to compare.
 */
export function compareWithBase(
  current: TestCaseResult[],
  base: { id: string; outcome: Outcome }[] | null,
): BaseDiff {
  if (base === null) return { newlyFailing: [], newlyPassing: [] };
  const baseFailing = new Map<string, boolean>();
  for (const b of base) baseFailing.set(b.id, (baseFailing.get(b.id) ?? false) || isFailing(b.outcome));

  const byId = new Map<string, { first: TestCaseResult; failing: TestCaseResult | null; passed: boolean }>();
  for (const t of current) {
    const seen = byId.get(t.id) ?? { first: t, failing: null, passed: false };
    if (isFailing(t.outcome) && seen.failing === null) seen.failing = t;
    if (t.outcome === 'passed') seen.passed = true;
    byId.set(t.id, seen);
  }

  const newlyFailing: TestCaseResult[] = [];
  const newlyPassing: TestCaseResult[] = [];
  for (const [id, s] of byId) {
    const wasFailing = baseFailing.get(id);
    if (s.failing !== null) {
      if (wasFailing !== true) newlyFailing.push(s.failing);
    } else if (s.passed && wasFailing === true) {
      newlyPassing.push(s.first);
    }
  }
  return { newlyFailing, newlyPassing };
}

/**
 * A flaky test passed and failed (or errored) on the same commit, across attempts, re-runs or
 * matrix entries. The same (test, source) reported twice counts once, so ingesting an artifact
 * again cannot invent flakiness.
 */
export function findFlaky(outcomes: TestOutcomeRecord[]): FlakyTest[] {
  const seen = new Set<string>();
  const byId = new Map<string, FlakyTest>();
  for (const o of outcomes) {
    const key = `${o.testId}\u0000${o.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const f = byId.get(o.testId) ?? { testId: o.testId, name: o.name, passed: 0, failed: 0 };
    if (o.outcome === 'passed') f.passed++;
    else if (isFailing(o.outcome)) f.failed++;
    byId.set(o.testId, f);
  }
  return [...byId.values()]
    .filter((f) => f.passed > 0 && f.failed > 0)
    .sort((a, b) => a.name.localeCompare(b.name) || a.testId.localeCompare(b.testId));
}

/** Pass rate over the most recent runs. `runs` is newest first; the first `window` are used. */
export function rollingRate(runs: Counts[], window = 20): { rate: number | null; runs: number } {
  const n = Math.max(0, Math.floor(window));
  const recent = runs.slice(0, n);
  return { rate: passRate(sumCounts(recent)), runs: recent.length };
}
