import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { checkStateFromWorkflowRun } from '../core/conclusion';
import { progressOf, stateOfStatus } from '../core/progress';
import { advanceDispatch, type DispatchItem } from '../store/dispatches';
import { getRepo, recordLatest } from '../store/repos';
import { syncCheckRun } from './check-run';
import type { WorkerDeps } from './deps';
import { findDispatchForRun } from './find-dispatch';

type WorkflowRunPayload = EmitterWebhookEvent<'workflow_run'>['payload'];

export async function onWorkflowRun(deps: WorkerDeps, _deliveryId: string, payload: WorkflowRunPayload): Promise<void> {
  const run = payload.workflow_run;
  const d = await findDispatchForRun(deps, run, payload.repository.full_name);
  if (!d) return;
  const state = stateOfStatus(run.status);
  const attempt = run.run_attempt ?? 1;
  const check = checkStateFromWorkflowRun({ status: run.status, conclusion: run.conclusion });
  const now = deps.now();
  const updated = await advanceDispatch(
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
    deps.log.debug('stale workflow_run event dropped', { dispatchId: d.dispatchId, status: run.status, attempt });
    return;
  }
  const gh = await deps.github.forInstallation(updated.installationId);
  await syncCheckRun(deps, gh, updated);
  await rememberLatest(deps, updated);
}

/** Branch runs (not pull requests) feed the branch's badge. */
export async function rememberLatest(deps: WorkerDeps, d: DispatchItem): Promise<void> {
  if (d.pr || !d.branch) return;
  const meta = await getRepo(deps.store, d.repo);
  await recordLatest(deps.store, {
    repo: d.repo,
    branch: d.branch,
    private: meta?.private ?? d.private,
    isDefaultBranch: meta?.defaultBranch === d.branch,
    run: {
      dispatchId: d.dispatchId,
      progress: d.progress,
      state: d.state,
      conclusion: d.conclusion,
      sha: d.sha,
      updatedAt: d.updatedAt,
    },
  });
}
