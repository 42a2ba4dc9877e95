/**
 * Applies what GitHub reports about a workflow run to the dispatch it belongs to: its state, the
 * smoke results once it completed, the check run and the branch's badge. One path for every
 * source of that report: the `workflow_run` event (on-workflow-run.ts) and the reconciler's
 * REST reads of runs whose events were lost (src/reconcile/reconciler.ts).
 */
import { checkStateFromWorkflowRun } from '../core/conclusion';
import { progressOf, stateOfStatus } from '../core/progress';
import type { ReportedRun } from '../github/workflow-runs';
import { advanceDispatch, type DispatchItem } from '../store/dispatches';
import { currentSmoke } from '../store/dispatch-smoke';
import { syncCheckRun } from './check-run';
import type { RepoRef, WorkerDeps } from './deps';
import { findDispatchForRun } from './find-dispatch';
import { ignored } from './outcome';
import { rememberLatest } from './remember-latest';
import { collectSmokeResults } from './smoke-results';
import { metrics } from '../metrics/metrics';
import { durationSeconds } from '../core/jobs';
import { compareWithBaseline, refreshComparisons } from './baseline';

export async function applyWorkflowRun(deps: WorkerDeps, run: ReportedRun, repo: RepoRef): Promise<void> {
  const d = await findDispatchForRun(deps, run, repo.fullName);
  if (!d) {
    ignored(deps, `workflow run ${run.id} is not one this app dispatched`);
    return;
  }
  deps.log.appendKeys({ dispatchId: d.dispatchId, ...(d.target ? { target: d.target } : {}) });
  const state = stateOfStatus(run.status);
  const attempt = run.run_attempt ?? 1;
  const check = checkStateFromWorkflowRun({ status: run.status, conclusion: run.conclusion });
  const now = deps.now();
  let updated = await advanceDispatch(
    deps.store,
    d,
    {
      state,
      progress: progressOf(state, attempt),
      attempt,
      conclusion: state === 'completed' ? check.conclusion : null,
      workflowRunId: Number(run.id),
      workflowRunUrl: run.html_url,
      startedAt: run.run_started_at ?? d.startedAt ?? null,
      completedAt: state === 'completed' ? (run.updated_at ?? now.toISOString()) : null,
    },
    { now },
  );
  if (updated?.state === 'completed') {
    // The first report of this completion (a repeat finds `updated` null): the run's duration, once.
    const seconds = durationSeconds(run.run_started_at ?? updated.startedAt ?? null, updated.completedAt ?? null);
    if (seconds !== null) metrics.observe('runDuration', seconds);
  }
  let repeated = false;
  if (!updated) {
    if (!completedAt(d, state, attempt)) {
      ignored(deps, `stale workflow run report (${run.status}, attempt ${attempt}) after the dispatch moved on`, { status: run.status, attempt });
      return;
    }
    // Finished first-hand before GitHub's word came (the reconciler's timed_out, a lost dispatch):
    // that verdict stands, and the workflow's own completion (the `cancelled` our cancel caused)
    // must not re-decide it.
    if (d.conclusion !== check.conclusion && currentSmoke(d) === null) return;
    // The same completion again: a retry after a failure half-way (GitHub or DynamoDB down).
    // Finish what is missing; the PATCH below is sent only if the check run does not show it yet.
    updated = d;
    // Also the `cancelled` that our own cancel (a superseding push, /arm64 cancel) caused: the
    // check run already says why, and a cancelled run has no results worth two more requests.
    repeated = true;
  }
  const gh = await deps.github.forInstallation(updated.installationId);
  const collected =
    updated.state === 'completed' && currentSmoke(updated) === null && !(repeated && check.conclusion === 'cancelled')
      ? await collectSmokeResults(deps, gh, updated, { run, repo })
      : { dispatch: updated, annotations: [] };
  // An arm64 target against the baseline (named targets); a finished baseline renews its commit's comparisons.
  const final = await compareWithBaseline(deps, collected.dispatch);
  // One PATCH: the conclusion, the summary and the first 50 annotations together.
  await syncCheckRun(deps, gh, final, { annotations: collected.annotations });
  deps.outcome?.add('updated check run', `${final.state}${final.conclusion ? ` ${final.conclusion}` : ''}`);
  await rememberLatest(deps, final);
  await refreshComparisons(deps, gh, final);
}

/** The report is of the completion the dispatch already recorded. */
function completedAt(d: DispatchItem, state: string, attempt: number): boolean {
  return state === 'completed' && d.state === 'completed' && d.attempt === attempt;
}
