/**
 * Playing workflow runs as GitHub does: each step changes the state and, when a webhook target is
 * set, delivers the matching `workflow_run` / `workflow_job` event.
 */
import type { WebhookOutbox } from './deliveries';
import type { StandInOptions } from './server';
import type { ArtifactRecord, Conclusion, JobRecord, WorkflowRunRecord } from './records';
import type { StandInState } from './state';
import type { EventBuilders } from './event-builders';
import type { DeliveryResult, WebhookEvent } from './sign-and-deliver';
import { zipFiles } from './zip';

export interface PlayScript {
  jobs: { name: string; runnerName?: string; labels?: string[]; conclusion: Conclusion }[];
  /** Defaults to `failure` when a job failed, `cancelled` when one was cancelled, else `success`. */
  conclusion?: Conclusion;
  artifacts?: { name: string; files: Record<string, string> }[];
}

export class RunPlayer {
  /** Runs whose `workflow_run.requested` was delivered (play() does not send it twice). */
  private requested = new Set<number>();

  constructor(
    private readonly state: StandInState,
    private readonly events: EventBuilders,
    private readonly outbox: WebhookOutbox,
  ) {}

  private maybeDeliver(ev: WebhookEvent): Promise<DeliveryResult | undefined> {
    return this.outbox.maybeDeliver(ev);
  }

  private run(runId: number): WorkflowRunRecord {
    const run = this.state.run(runId);
    if (!run) throw new Error(`stand-in: no workflow run ${runId}`);
    return run;
  }

  private touch(run: WorkflowRunRecord): void {
    run.updatedAt = this.state.now();
  }

  /** Delivers `workflow_run.requested` (GitHub sends it as soon as a dispatched run exists). */
  async requestRun(runId: number): Promise<DeliveryResult | undefined> {
    const run = this.run(runId);
    this.requested.add(run.id);
    return this.maybeDeliver(this.events.workflowRunEvent(run, 'requested'));
  }

  /** Adds a queued job to a run and delivers `workflow_job.queued`. */
  async queueJob(runId: number, job: { name: string; labels?: string[] }): Promise<JobRecord> {
    const run = this.run(runId);
    const record: JobRecord = {
      id: this.state.nextId('job'),
      runId: run.id,
      repo: run.repo,
      name: job.name,
      status: 'queued',
      conclusion: null,
      labels: job.labels ?? this.defaultLabels(run),
      runnerId: null,
      runnerName: null,
      createdAt: this.state.now(),
      startedAt: null,
      completedAt: null,
    };
    run.jobs.push(record);
    this.touch(run);
    await this.maybeDeliver(this.events.workflowJobEvent(record, 'queued'));
    return record;
  }

  /** The labels the coordinator asked for (`runner_labels` input), else self-hosted + arm64. */
  private defaultLabels(run: WorkflowRunRecord): string[] {
    const raw = run.inputs.runner_labels;
    if (typeof raw === 'string') {
      try {
        const parsed = JSON.parse(raw) as unknown;
        if (Array.isArray(parsed) && parsed.every((l) => typeof l === 'string')) return parsed;
      } catch {
        // not JSON: fall through
      }
    }
    return ['self-hosted', 'arm64'];
  }

  /** Marks a run in progress and delivers `workflow_run.in_progress`. */
  async startRun(runId: number): Promise<DeliveryResult | undefined> {
    const run = this.run(runId);
    run.status = 'in_progress';
    run.runStartedAt = this.state.now();
    this.touch(run);
    return this.maybeDeliver(this.events.workflowRunEvent(run, 'in_progress'));
  }

  /** A runner picks up the job: `workflow_job.in_progress` with runner_name set. */
  async startJob(jobId: number, opts: { runnerName?: string } = {}): Promise<DeliveryResult | undefined> {
    const found = this.state.job(jobId);
    if (!found) throw new Error(`stand-in: no job ${jobId}`);
    const { run, job } = found;
    const repo = this.state.repo(...(run.repo.split('/') as [string, string]));
    const runners = [...(repo?.runners ?? []), ...(this.state.orgRunners.get(repo?.owner.toLowerCase() ?? '') ?? [])];
    const runner =
      runners.find((r) => r.name === opts.runnerName) ??
      runners.find((r) => r.status === 'online' && job.labels.every((l) => r.labels.some((x) => x.toLowerCase() === l.toLowerCase())));
    job.status = 'in_progress';
    job.startedAt = this.state.now();
    job.runnerName = opts.runnerName ?? runner?.name ?? 'stand-in-runner';
    job.runnerId = runner?.id ?? 1;
    if (run.status === 'queued') run.status = 'in_progress';
    this.touch(run);
    return this.maybeDeliver(this.events.workflowJobEvent(job, 'in_progress'));
  }

  /** Finishes a job: `workflow_job.completed`. */
  async completeJob(jobId: number, conclusion: Conclusion): Promise<DeliveryResult | undefined> {
    const found = this.state.job(jobId);
    if (!found) throw new Error(`stand-in: no job ${jobId}`);
    const { run, job } = found;
    job.status = 'completed';
    job.conclusion = conclusion;
    job.completedAt = this.state.now();
    job.startedAt ??= job.completedAt;
    this.touch(run);
    return this.maybeDeliver(this.events.workflowJobEvent(job, 'completed'));
  }

  /** Uploads an artifact to a run (no webhook: GitHub sends none). */
  addArtifact(runId: number, artifact: { name: string; files: Record<string, string> }): ArtifactRecord {
    const run = this.run(runId);
    const now = this.state.now();
    const record: ArtifactRecord = {
      id: this.state.nextId('artifact'),
      runId: run.id,
      repo: run.repo,
      name: artifact.name,
      files: { ...artifact.files },
      zip: zipFiles(artifact.files),
      createdAt: now,
      // GitHub's default retention: 90 days.
      expiresAt: new Date(now.getTime() + 90 * 86_400_000),
    };
    run.artifacts.push(record);
    return record;
  }

  /** Completes a run (unfinished jobs are cancelled) and delivers `workflow_run.completed`. */
  async completeRun(runId: number, conclusion?: Conclusion): Promise<DeliveryResult | undefined> {
    const run = this.run(runId);
    const now = this.state.now();
    for (const job of run.jobs) {
      if (job.status !== 'completed') {
        job.status = 'completed';
        job.conclusion = 'cancelled';
        job.completedAt = now;
      }
    }
    run.status = 'completed';
    run.conclusion = conclusion ?? this.derivedConclusion(run);
    this.touch(run);
    return this.maybeDeliver(this.events.workflowRunEvent(run, 'completed'));
  }

  /**
   * GitHub's "Re-run all jobs": a new attempt of the same run (run_attempt + 1, jobs and conclusion
   * reset, run_started_at = now) and `workflow_run.requested` again; play it on with queueJob /
   * startRun / … / completeRun. Artifacts of earlier attempts stay on the run, as on GitHub.
   */
  async rerunRun(runId: number): Promise<DeliveryResult | undefined> {
    const run = this.run(runId);
    if (run.status !== 'completed') throw new Error(`stand-in: run ${runId} is still ${run.status}; only finished runs can be re-run`);
    run.runAttempt += 1;
    run.status = 'queued';
    run.conclusion = null;
    run.jobs = [];
    run.runStartedAt = this.state.now();
    this.touch(run);
    this.requested.add(run.id);
    return this.maybeDeliver(this.events.workflowRunEvent(run, 'requested'));
  }

  /**
   * Deletes a run, as a maintainer can on GitHub (no webhook follows): GET answers 404 and the
   * run lists no more. Lets tests lose a dispatch that GitHub accepted.
   */
  deleteRun(runId: number): void {
    const i = this.state.runList.findIndex((r) => r.id === runId);
    if (i < 0) throw new Error(`stand-in: no workflow run ${runId}`);
    this.state.runList.splice(i, 1);
  }

  private derivedConclusion(run: WorkflowRunRecord): Conclusion {
    const conclusions = run.jobs.map((j) => j.conclusion);
    if (conclusions.some((c) => c === 'failure' || c === 'timed_out')) return 'failure';
    if (conclusions.some((c) => c === 'cancelled')) return 'cancelled';
    return 'success';
  }

  /**
   * Plays a run from start to end in GitHub's order: workflow_run.requested (unless already sent),
   * workflow_job.queued for each job, workflow_run.in_progress, then per job in_progress and
   * completed, artifacts, and workflow_run.completed. Stops early when the run was cancelled.
   */
  async play(runId: number, script: PlayScript, opts: { delayMs?: number } = {}): Promise<WorkflowRunRecord> {
    const run = this.run(runId);
    const pause = async () => {
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    };
    // A cancelled run is already completed: stop playing it.
    const stopped = () => run.status === 'completed';
    if (!this.requested.has(run.id)) await this.requestRun(run.id);
    const jobs: JobRecord[] = [];
    for (const j of script.jobs) {
      if (stopped()) return run;
      jobs.push(await this.queueJob(run.id, { name: j.name, labels: j.labels }));
    }
    await pause();
    if (stopped()) return run;
    await this.startRun(run.id);
    for (const [i, j] of script.jobs.entries()) {
      await pause();
      if (stopped()) return run;
      await this.startJob(jobs[i]!.id, { runnerName: j.runnerName });
      await pause();
      if (stopped()) return run;
      await this.completeJob(jobs[i]!.id, j.conclusion);
    }
    if (stopped()) return run;
    for (const a of script.artifacts ?? []) this.addArtifact(run.id, a);
    await this.completeRun(run.id, script.conclusion);
    return run;
  }

  /** Cancels a run: state now, webhooks in the background (GitHub answers 202 first). */
  cancelRun(run: WorkflowRunRecord): void {
    const now = this.state.now();
    const open = run.jobs.filter((j) => j.status !== 'completed');
    for (const job of open) {
      job.status = 'completed';
      job.conclusion = 'cancelled';
      job.completedAt = now;
      job.startedAt ??= now;
    }
    run.status = 'completed';
    run.conclusion = 'cancelled';
    run.updatedAt = now;
    this.state.cancelled.push({ repo: run.repo, runId: run.id, at: now });
    // GitHub reports the cancellation through webhooks shortly after answering 202.
    this.outbox.background(async () => {
      for (const job of open) await this.maybeDeliver(this.events.workflowJobEvent(job, 'completed'));
      await this.maybeDeliver(this.events.workflowRunEvent(run, 'completed'));
    });
  }

  /** Plays a dispatched run in the background (the `autoPlay` option). */
  autoPlay(run: WorkflowRunRecord, auto: NonNullable<StandInOptions['autoPlay']>): void {
    const script = typeof auto.script === 'function' ? auto.script(run) : auto.script;
    this.outbox.background(async () => {
      if (auto.delayMs) await new Promise((r) => setTimeout(r, auto.delayMs));
      await this.play(run.id, script, { delayMs: auto.delayMs });
    });
  }
}
