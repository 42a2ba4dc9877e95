import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { parseJobName } from '../core/jobs';
import { progressOf } from '../core/progress';
import { getDispatch } from '../store/dispatches';
import { findByWorkflowRun } from '../store/dispatches';
import { recordJob } from '../store/jobs';
import { syncCheckRun } from './check-run';
import type { WorkerDeps } from './deps';

type WorkflowJobPayload = EmitterWebhookEvent<'workflow_job'>['payload'];

export async function onWorkflowJob(deps: WorkerDeps, _deliveryId: string, payload: WorkflowJobPayload): Promise<void> {
  const job = payload.workflow_job;
  const pointer = await findByWorkflowRun(deps.store, job.run_id);
  if (!pointer) return; // not a run we dispatched (or its run event has not linked it yet)
  const attempt = job.run_attempt ?? 1;
  const recorded = await recordJob(deps.store, {
    dispatchId: pointer.dispatchId,
    jobId: job.id,
    runId: job.run_id,
    runAttempt: attempt,
    name: job.name,
    matrix: parseJobName(job.name).matrix,
    status: job.status,
    conclusion: job.conclusion ?? null,
    progress: progressOf(job.status, attempt),
    runnerName: job.runner_name ?? null,
    labels: job.labels ?? [],
    htmlUrl: job.html_url ?? null,
    createdAt: job.created_at ?? null,
    startedAt: job.started_at ?? null,
    completedAt: job.completed_at ?? null,
    ttl: pointer.ttl,
  });
  // A queued job changes nothing a reader acts on; start and finish do.
  if (!recorded || job.status === 'queued' || job.status === 'waiting') return;
  const d = await getDispatch(deps.store, pointer.repo, pointer.dispatchId);
  if (!d) return;
  const gh = await deps.github.forInstallation(d.installationId);
  await syncCheckRun(deps, gh, d);
}
