import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { checkStateFromWorkflowRun } from '../core/conclusion';
import { progressOf, stateOfStatus } from '../core/progress';
import { advanceDispatch, type DispatchItem } from '../store/dispatches';
import { getLatest, getRepo, recordLatest } from '../store/repos';
import { currentSmoke } from '../store/dispatch-smoke';
import { syncCheckRun } from './check-run';
import { repoRef, type RepoRef, type WorkerDeps } from './deps';
import { findDispatchForRun } from './find-dispatch';
import { collectSmokeResults } from './smoke-results';

type WorkflowRunPayload = EmitterWebhookEvent<'workflow_run'>['payload'];

export async function onWorkflowRun(deps: WorkerDeps, _deliveryId: string, payload: WorkflowRunPayload): Promise<void> {
  const run = payload.workflow_run;
  const d = await findDispatchForRun(deps, run, payload.repository.full_name);
  if (!d) return;
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
      workflowRunId: run.id,
      workflowRunUrl: run.html_url,
      startedAt: run.run_started_at ?? d.startedAt ?? null,
      completedAt: state === 'completed' ? (run.updated_at ?? now.toISOString()) : null,
    },
    { now },
  );
  if (!updated) {
    if (!completedAt(d, state, attempt)) {
      deps.log.debug('stale workflow_run event dropped', { dispatchId: d.dispatchId, status: run.status, attempt });
      return;
    }
    // Finished first-hand before GitHub's word came (the reconciler's timed_out, a lost dispatch):
    // that verdict stands, and the workflow's own completion (the `cancelled` our cancel caused)
    // must not re-decide it.
    if (d.conclusion !== check.conclusion && currentSmoke(d) === null) return;
    // The same completion again: a retry after a failure half-way (GitHub or DynamoDB down).
    // Finish what is missing; the PATCH below is idempotent.
    updated = d;
  }
  const gh = await deps.github.forInstallation(updated.installationId);
  const final =
    updated.state === 'completed' && currentSmoke(updated) === null
      ? await collectSmokeResults(deps, gh, updated, { run, repo: repoOf(payload, updated) })
      : updated;
  await syncCheckRun(deps, gh, final);
  await rememberLatest(deps, final);
}

/** The event reports the completion the dispatch already recorded. */
function completedAt(d: DispatchItem, state: string, attempt: number): boolean {
  return state === 'completed' && d.state === 'completed' && d.attempt === attempt;
}

function repoOf(payload: WorkflowRunPayload, d: DispatchItem): RepoRef {
  const [owner = '', name = ''] = d.repo.split('/');
  return (
    repoRef(payload) ?? {
      owner,
      name,
      fullName: d.repo,
      private: d.private,
      defaultBranch: payload.repository.default_branch ?? 'main',
      installationId: d.installationId,
    }
  );
}

/** Branch runs (not pull requests) feed the branch's badge. */
export async function rememberLatest(deps: WorkerDeps, d: DispatchItem): Promise<void> {
  if (d.pr || !d.branch) return;
  const meta = await getRepo(deps.store, d.repo);
  // While a new run is under way the smoke badge keeps the last results rather than "no data".
  const smoke =
    currentSmoke(d)?.counts ?? (d.state === 'completed' ? null : ((await getLatest(deps.store, d.repo, d.branch))?.smoke ?? null));
  await recordLatest(deps.store, {
    repo: d.repo,
    branch: d.branch,
    isDefaultBranch: meta?.defaultBranch === d.branch,
    run: {
      dispatchId: d.dispatchId,
      progress: d.progress,
      state: d.state,
      conclusion: d.conclusion,
      sha: d.sha,
      updatedAt: d.updatedAt,
      smoke,
    },
  });
}
