/**
 * A completed run's tests against the runs before it: the run's tests one per id, flaky tests
 * (passed and failed on this commit), newly failing and passing tests against the base branch, and
 * slowdowns against the base branch's recent runs. Reads the store only; core/ decides.
 */
import { findSlowdowns, type Slowdown } from '../core/compare/slowdown';
import { compareWithBase, findFlaky, type BaseDiff, type FlakyTest, type TestOutcomeRecord } from '../core/smoke/compare';
import type { SmokeSet } from '../core/smoke/verdict';
import type { Outcome, TestCaseResult } from '../core/test-results';
import { dispatchesOfCommit, type DispatchItem } from '../store/dispatches';
import { DEFAULT_TARGET } from '../core/default-target';
import { refName } from '../store/keys';
import { getRefSmoke } from '../store/ref-smoke';
import { durationHistory, readRunTests } from '../store/run-history';
import { getRunResult, runResultsOf, type RunResultItem } from '../store/run-results';
import { aggregateOutcome, outcomeOfRunCode, runCodeSides, runOutcomeCode, type RunOutcomeCode } from '../store/test-history-codec';
import type { CatalogTest } from '../store/test-pack';
import type { RunTest } from '../store/test-standing';
import type { WorkerDeps } from './deps';
import type { SlowdownSettings } from './smoke-settings';

/** Earlier dispatches of the same commit looked at for flaky tests (re-runs, /arm64 retest). */
const EARLIER_DISPATCHES = 10;

/** The run's tests, one per id across its result files (mean time of the files that passed it). */
export function runTests(smoke: SmokeSet): RunTest[] {
  const byId = new Map<string, { first: TestCaseResult; outcomes: Outcome[]; sum: number; timed: number }>();
  for (const f of smoke.files) {
    for (const t of f.tests) {
      const seen = byId.get(t.id) ?? { first: t, outcomes: [], sum: 0, timed: 0 };
      seen.outcomes.push(t.outcome);
      if (t.outcome === 'passed' && t.durationSeconds !== null && Number.isFinite(t.durationSeconds) && t.durationSeconds >= 0) {
        seen.sum += t.durationSeconds;
        seen.timed++;
      }
      byId.set(t.id, seen);
    }
  }
  return [...byId.values()].map(({ first, outcomes, sum, timed }) => {
    const passed = outcomes.filter((o) => o === 'passed').length;
    const failed = outcomes.filter((o) => o === 'failed' || o === 'errored').length;
    const outcome = aggregateOutcome(outcomes);
    return {
      id: first.id,
      name: first.name,
      classname: first.classname,
      file: first.file,
      outcome,
      code: runOutcomeCode({ outcome, passed, failed }),
      flaky: false,
      durationSeconds: timed > 0 ? sum / timed : null,
    };
  });
}

/** A stored result's packed tests by id (codes), or null when they are not stored (or expired). */
async function resultTests(
  deps: WorkerDeps,
  r: RunResultItem,
  catalogs: Map<string, CatalogTest[] | null>,
): Promise<{ id: string; code: string }[] | null> {
  const list = await readRunTests(
    deps.store,
    { repo: r.repo, target: r.target ?? DEFAULT_TARGET, ref: r.ref, dispatchId: r.dispatchId, attempt: r.attempt },
    catalogs,
  );
  return list?.tests ?? null;
}

/**
 * Tests that passed and failed on this commit: across this run's matrix files, this dispatch's
 * earlier attempts, and other dispatches of the same commit (re-runs, /arm64 retest).
 */
export async function flakyTests(deps: WorkerDeps, d: DispatchItem, smoke: SmokeSet, tests: RunTest[]): Promise<FlakyTest[]> {
  const records: TestOutcomeRecord[] = [];
  for (const f of smoke.files) {
    for (const t of f.tests) {
      records.push({ testId: t.id, name: t.name, outcome: t.outcome, source: `attempt ${d.attempt} · ${f.fileName}` });
    }
  }
  const names = new Map(tests.map((t) => [t.id, t.name]));
  const catalogs = new Map<string, CatalogTest[] | null>();
  for (const earlier of await earlierResults(deps, d)) {
    const source = `dispatch ${earlier.dispatchId} attempt ${earlier.attempt}`;
    for (const { id, code } of (await resultTests(deps, earlier, catalogs)) ?? []) {
      const name = names.get(id);
      if (name === undefined) continue; // not in this run: nothing to flag now
      // X: that run itself passed it in one file and failed it in another.
      const sides = runCodeSides(code as RunOutcomeCode);
      if (sides.passed) records.push({ testId: id, name, outcome: 'passed', source: `${source} (passing)` });
      if (sides.failed) records.push({ testId: id, name, outcome: 'failed', source: `${source} (failing)` });
    }
  }
  return findFlaky(records);
}

async function earlierResults(deps: WorkerDeps, d: DispatchItem): Promise<RunResultItem[]> {
  const others = (await dispatchesOfCommit(deps.store, d.repo, d.sha, EARLIER_DISPATCHES + 1))
    .map((x) => x.dispatchId)
    .filter((id) => id !== d.dispatchId)
    .slice(0, EARLIER_DISPATCHES);
  const lists = await Promise.all([d.dispatchId, ...others].map((id) => runResultsOf(deps.store, id)));
  return lists.flat().filter((r) => !(r.dispatchId === d.dispatchId && r.attempt === d.attempt) && r.counts !== null);
}

/**
 * Newly failing / passing tests against the latest run with results on the base: the pull
 * request's base branch, or the default branch for a push (for a push to the default branch
 * that is the previous run).
 */
export async function baseComparison(
  deps: WorkerDeps,
  d: DispatchItem,
  branch: string,
  smoke: SmokeSet,
): Promise<{ diff: BaseDiff; label: string } | null> {
  const refItem = await getRefSmoke(deps.store, d.repo, refName({ branch, target: d.target }));
  const entry = refItem?.runs.find((r) => r.dispatchId !== d.dispatchId);
  if (!entry) return null;
  const result = await getRunResult(deps.store, entry.dispatchId, entry.attempt);
  if (!result) return null;
  const tests = await resultTests(deps, result, new Map());
  if (!tests) return null;
  const base = tests.map(({ id, code }) => ({ id, outcome: outcomeOfRunCode(code as RunOutcomeCode) }));
  const current = smoke.files.flatMap((f) => f.tests);
  return { diff: compareWithBase(current, base), label: `${branch} at ${entry.sha.slice(0, 7)}` };
}

/**
 * Tests now at least `factor` times their median over the base branch's last `window` runs of
 * the same target (core/compare/slowdown.ts), from the packed runs: one query and a catalog read.
 */
export async function findRunSlowdowns(
  deps: WorkerDeps,
  d: DispatchItem,
  smoke: SmokeSet,
  p: { target: string; branch: string; rule: SlowdownSettings },
): Promise<Slowdown[]> {
  const history = await durationHistory(deps.store, { repo: d.repo, target: p.target, ref: refName({ branch: p.branch, target: d.target }) }, p.rule.window, d.dispatchId);
  if (history.size === 0) return [];
  return findSlowdowns(smoke.files.flatMap((f) => f.tests), history, { factor: p.rule.factor, window: p.rule.window, minSamples: p.rule.minSamples });
}
