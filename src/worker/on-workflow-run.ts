import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { applyWorkflowRun } from './apply-workflow-run';
import { repoRef, type WorkerDeps } from './deps';

type WorkflowRunPayload = EmitterWebhookEvent<'workflow_run'>['payload'];

/** A workflow run was requested, started or completed: applied to the dispatch it belongs to, if any. */
export async function onWorkflowRun(deps: WorkerDeps, _deliveryId: string, payload: WorkflowRunPayload): Promise<void> {
  // An App's deliveries always name the installation; like every other handler, none is no-op.
  const repo = repoRef(payload);
  if (!repo) return;
  await applyWorkflowRun(deps, payload.workflow_run, repo);
}
