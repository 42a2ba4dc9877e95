import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { durationSeconds } from '../core/jobs';
import { parseJobName } from '../core/jobs';
import { progressOf } from '../core/progress';
import { QUIET_MINUTES } from '../core/reconcile';
import { getDispatch, type DispatchItem } from '../store/dispatches';
import { findByWorkflowRun } from '../store/dispatches';
import { recordJob } from '../store/jobs';
import { reopenDispatch } from '../store/open-dispatches';
import { recordJobTiming } from '../store/stats';
import { syncCheckRun } from './check-run';
import type { WorkerDeps } from './deps';
import { noteRunnerOfJob } from './fleet';
import { ignored } from './outcome';
import { metrics } from '../metrics/metrics';

type WorkflowJobPayload = EmitterWebhookEvent<'workflow_job'>['payload'];
type Job = WorkflowJobPayload['workflow_job'];

export async function onWorkflowJob(deps: WorkerDeps, _deliveryId: string, payload: WorkflowJobPayload): Promise<void> {
  const job = payload.workflow_job;
  const pointer = await findByWorkflowRun(deps.store, job.run_id);
  if (!pointer) {
    // Not a run we dispatched (or its run event has not linked it yet).
    ignored(deps, `workflow run ${job.run_id} is not one this app dispatched`);
    return;
  }
  deps.log.appendKeys({ dispatchId: pointer.dispatchId });
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
  if (!recorded) return;
  // The runner pool learns from every job a runner takes, even without the listing permission.
  if (job.runner_name && (job.status === 'in_progress' || job.status === 'completed')) {
    await noteRunnerOfJob(deps, {
      runnerName: job.runner_name,
      labels: job.labels ?? [],
      jobId: job.id,
      runId: job.run_id,
      name: job.name,
      status: job.status,
      conclusion: job.conclusion ?? null,
      repo: pointer.repo,
    });
  }
  if (job.status === 'queued' || job.status === 'waiting') {
    // A queued job changes nothing a reader acts on; but a job of a re-run attempt means GitHub
    // re-opened a finished run, which the reconciler must watch again.
    if (attempt > 1) {
      const now = deps.now();
      await reopenDispatch(deps.store, {
        repo: pointer.repo,
        dispatchId: pointer.dispatchId,
        dueAt: new Date(now.getTime() + QUIET_MINUTES * 60_000),
        ttl: pointer.ttl,
      });
    }
    return;
  }
  const d = await getDispatch(deps.store, pointer.repo, pointer.dispatchId);
  if (!d) return;
  await recordTiming(deps, d, job);
  const gh = await deps.github.forInstallation(d.installationId);
  await syncCheckRun(deps, gh, d);
  deps.outcome?.add('updated check run', `job ${job.status}`);
}

/** Queue time when a runner takes the job, run time when it finishes (store/stats.ts). */
async function recordTiming(deps: WorkerDeps, d: DispatchItem, job: Job): Promise<void> {
  if (!job.runner_name || !job.started_at) return;
  const attempt = job.run_attempt ?? 1;
  // Attempt 1 waited from our dispatch; a re-run attempt from when GitHub queued this job.
  const since = attempt > 1 ? (job.created_at ?? null) : (d.dispatchedAt ?? d.createdAt);
  const queued = durationSeconds(since, job.started_at);
  // Counted once, when a runner takes the job (the completed event repeats the start).
  if (job.status === 'in_progress' && queued !== null) metrics.observe('queueTime', queued);
  try {
    await recordJobTiming(deps.store, {
      repo: d.repo,
      dispatchId: d.dispatchId,
      jobId: job.id,
      labels: job.labels ?? d.runnerLabels,
      runnerName: job.runner_name,
      queueSeconds: queued,
      durationSeconds: job.status === 'completed' ? durationSeconds(job.started_at, job.completed_at ?? null) : null,
      now: deps.now(),
    });
  } catch (err) {
    // Figures are a nicety: never let them hold up the check run.
    deps.log.warn('job timing not recorded', { dispatchId: d.dispatchId, jobId: job.id, error: err });
  }
}
