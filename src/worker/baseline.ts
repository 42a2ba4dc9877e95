/**
 * An arm64 target's run against the baseline's (x86): the comparison section of its check run.
 * The baseline's results are this commit's when its baseline run has finished, else the base
 * branch's latest baseline run (the pull request's base, else the default branch; said so in the section). When the same commit's baseline finishes
 * later, every arm64 target's check run of that commit is updated with the like-for-like comparison.
 */
import { compareRuns, type Leg } from '../core/compare/runs';
import { renderComparison } from '../core/compare/render';
import { durationSeconds } from '../core/jobs';
import type { GitHub } from '../github/client';
import { currentSmoke } from '../store/dispatch-smoke';
import { dispatchesOfCommit, getDispatch, patchDispatch, type DispatchItem } from '../store/dispatches';
import { listJobs, type JobItem } from '../store/jobs';
import { refName } from '../store/keys';
import { getRefSmoke } from '../store/ref-smoke';
import { getRepo } from '../store/repos';
import { getRunResult, type RunResultItem } from '../store/run-results';
import { timedTestsOf } from '../store/run-history';
import { syncCheckRun } from './check-run';
import type { WorkerDeps } from './deps';

/** The comparison's share of the check-run summary (the smoke section has 30,000 bytes). */
const COMPARISON_MAX_BYTES = 12_000;

interface BaselineSide {
  dispatch: DispatchItem;
  result: RunResultItem;
  sameCommit: boolean;
  note?: string;
}

/** The run's results and its current attempt's jobs, as the comparison takes them. */
async function sideOf(deps: WorkerDeps, d: DispatchItem, result: RunResultItem) {
  const jobs = await listJobs(deps.store, d.dispatchId);
  return { tests: await timedTestsOf(deps.store, result), ...(result.counts ? { counts: result.counts } : {}), jobs: legs(jobs, result.attempt) };
}

const legs = (jobs: JobItem[], attempt: number): Leg[] =>
  jobs
    .filter((j) => j.runAttempt === attempt)
    .map((j) => ({ name: j.name, conclusion: j.conclusion, durationSeconds: durationSeconds(j.startedAt, j.completedAt) }));

/** This commit's finished baseline run with results; else the base branch's latest one. */
async function findBaseline(deps: WorkerDeps, d: DispatchItem, baseline: string): Promise<BaselineSide | null> {
  const same = (await dispatchesOfCommit(deps.store, d.repo, d.sha, 50)).find(
    (x) => x.target === baseline && x.state === 'completed' && currentSmoke(x)?.counts,
  );
  if (same) {
    const fresh = (await getDispatch(deps.store, same.repo, same.dispatchId)) ?? same;
    const smoke = currentSmoke(fresh);
    const result = smoke ? await getRunResult(deps.store, fresh.dispatchId, smoke.attempt) : null;
    if (result?.counts) return { dispatch: fresh, result, sameCommit: true };
  }
  // The pull request's base branch as stored when it started; a push (or a run recorded before
  // the base was stored) compares with the default branch.
  const branch = d.prBase ?? (await getRepo(deps.store, d.repo))?.defaultBranch;
  if (!branch) return null;
  const ref = await getRefSmoke(deps.store, d.repo, refName({ branch, target: baseline }));
  const entry = ref?.runs.find((r) => r.sha !== d.sha) ?? null;
  if (!entry) return null;
  const [dispatch, result] = await Promise.all([getDispatch(deps.store, d.repo, entry.dispatchId), getRunResult(deps.store, entry.dispatchId, entry.attempt)]);
  if (!dispatch || !result?.counts) return null;
  return {
    dispatch,
    result,
    sameCommit: false,
    note: `the latest run of ${branch} (${entry.sha.slice(0, 7)}): this commit has no ${baseline} results yet`,
  };
}

/**
 * Adds (or renews) the comparison of a finished arm64 run with its baseline. Returns the dispatch
 * as stored; unchanged when there is nothing to compare (no baseline, no results on either side).
 */
export async function compareWithBaseline(deps: WorkerDeps, d: DispatchItem): Promise<DispatchItem> {
  const baseline = d.baseline;
  const smoke = currentSmoke(d);
  if (!baseline || d.state !== 'completed' || !smoke?.counts) return d;
  const mine = await getRunResult(deps.store, d.dispatchId, smoke.attempt);
  if (!mine?.counts) return d;
  const base = await findBaseline(deps, d, baseline);
  if (!base) return d;
  const same = d.comparison;
  if (same && same.baselineDispatchId === base.dispatch.dispatchId && same.baselineAttempt === base.result.attempt) return d;
  const comparison = compareRuns(await sideOf(deps, d, mine), await sideOf(deps, base.dispatch, base.result));
  const markdown = renderComparison(
    comparison,
    { target: d.target ?? 'arm64', baseline, ...(base.note ? { baselineNote: base.note } : {}) },
    { maxBytes: COMPARISON_MAX_BYTES },
  );
  return patchDispatch(
    deps.store,
    d,
    {
      comparison: {
        markdown,
        baselineDispatchId: base.dispatch.dispatchId,
        baselineAttempt: base.result.attempt,
        sameCommit: base.sameCommit,
        ratio: comparison.total.ratio,
      },
    },
    deps.now(),
  );
}

/**
 * A baseline run finished: the arm64 runs of the same commit that finished before it compared
 * with the base branch (or with nothing); now they get this commit's comparison.
 */
export async function refreshComparisons(deps: WorkerDeps, gh: GitHub, baselineRun: DispatchItem): Promise<void> {
  if (!baselineRun.target || baselineRun.baseline !== undefined || !currentSmoke(baselineRun)?.counts) return;
  const waiting = (await dispatchesOfCommit(deps.store, baselineRun.repo, baselineRun.sha, 50)).filter(
    (x) => x.baseline === baselineRun.target && x.state === 'completed' && currentSmoke(x)?.counts,
  );
  for (const stale of waiting) {
    const fresh = await getDispatch(deps.store, stale.repo, stale.dispatchId);
    if (!fresh) continue;
    const updated = await compareWithBaseline(deps, fresh);
    if (updated !== fresh) await syncCheckRun(deps, gh, updated);
  }
}
