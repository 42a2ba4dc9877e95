/**
 * The reconciler: a scheduled pass (every 5 minutes on AWS, every minute in the local server) that
 * makes sure no dispatch ends up neither finished nor explained. GitHub never redelivers a lost
 * webhook by itself, and a run can hang on a runner for hours; for each open dispatch that is due
 * (store/open-dispatches.ts) it applies the rules of core/reconcile.ts:
 *
 * - no workflow run matched within `dispatch_timeout_minutes` → look the run up (by the id GitHub
 *   returned, else by the dispatch id in its title): found → adopt it; not found → fail the check
 *   run "dispatch lost", with the Re-run button;
 * - queued or running past `timeout_minutes` → cancel the run, complete the check run `timed_out`;
 * - no event for 10 minutes → ask GitHub how the run stands: a `completed` that never arrived is
 *   applied exactly as its webhook would have been (worker/apply-workflow-run.ts); a run still waiting for a
 *   runner gets its check run re-rendered (how long it has waited, the pool now).
 *
 * A pass reads only the dispatches that are due (the `due` index; completed dispatches are closed
 * by the worker as they complete), so its cost follows the work, not the history. Bounded (at most
 * `maxExamined` dispatches and `budgetMs` per pass, `concurrency` at a time) and idempotent: each
 * dispatch is leased with a conditional write before anything is done, and every state change is
 * a forward-only conditional update, so overlapping passes never act twice.
 */
import { formatDuration } from '../core/jobs';
import { repoParts } from '../core/repo-name';
import { progressOf, stateOfStatus } from '../core/progress';
import { planReconcile, QUIET_MINUTES, type ReconcileStep, type ReconcileView } from '../core/reconcile';
import { httpStatus, type GitHub } from '../github/client';
import { cancelWorkflowRun, findRunByDispatchId, getWorkflowRun, type WorkflowRun } from '../github/workflow-runs';
import {
  advanceDispatch,
  getDispatch,
  linkWorkflowRun,
  patchDispatch,
  type DispatchItem,
  type DispatchState,
} from '../store/dispatches';
import { listJobs } from '../store/jobs';
import { dueOpenDispatches, forgetOpen, leaseOpen, rescheduleOpen, type OpenDispatchItem } from '../store/open-dispatches';
import { getRepo } from '../store/repos';
import { applyWorkflowRun } from '../worker/apply-workflow-run';
import { syncCheckRun } from '../worker/check-run';
import type { RepoRef, WorkerDeps } from '../worker/deps';
import { refreshFleet } from '../worker/fleet';
import { rememberLatest } from '../worker/remember-latest';
import type { DispatchTimeouts } from '../worker/start-run';
import { metrics } from '../metrics/metrics';

export interface ReconcileOptions {
  /** Dispatches examined per pass. */
  maxExamined: number;
  /** Dispatches examined at once (most need no GitHub request: a look at the item and a new due time). */
  concurrency: number;
  /** How long a pass holds a dispatch; one that died mid-way is retried after this. */
  leaseMs: number;
  /** Wall-clock time a pass may spend before leaving the rest to the next (the Lambda has 2 minutes). */
  budgetMs: number;
}

/**
 * 2,000 a pass every 5 minutes is 24,000 an hour: at 10,000 dispatches an hour, each can be looked
 * at twice and the pass still ends with nothing due.
 */
const DEFAULT_RECONCILE_OPTIONS: ReconcileOptions = { maxExamined: 2_000, concurrency: 8, leaseMs: 5 * 60_000, budgetMs: 60_000 };

export interface ReconcileReport {
  /** Open dispatches due at the start of the pass (at most maxExamined). */
  due: number;
  /** Leased and looked at. */
  examined: number;
  /** Another pass held them. */
  skipped: number;
  /** Found completed: dropped from the open index. */
  forgotten: number;
  /** Runs found through the API for a dispatch no workflow_run event matched. */
  adopted: number;
  /** Failed "dispatch lost" (or their run vanished). */
  lost: number;
  /** Cancelled and completed `timed_out`. */
  timedOut: number;
  /** A `completed` (or other progress) that never arrived as an event, applied from the API. */
  repaired: number;
  /** Waiting check runs re-rendered with the current wait and pool. */
  refreshed: number;
  /** Threw: left leased, so retried on a pass after the lease ends. */
  failed: number;
}

type Outcome = 'adopted' | 'lost' | 'timedOut' | 'repaired' | 'refreshed' | null;

type TimedDispatch = DispatchItem & Partial<DispatchTimeouts>;

const MINUTE = 60_000;
const PRE_RUN: DispatchState[] = ['pending', 'dispatching', 'dispatched'];
const RUNNING: DispatchState[] = ['queued', 'in_progress'];

export async function reconcile(deps: WorkerDeps, options: Partial<ReconcileOptions> = {}): Promise<ReconcileReport> {
  const opts = { ...DEFAULT_RECONCILE_OPTIONS, ...options };
  const started = performance.now();
  const now = deps.now();
  const report: ReconcileReport = { due: 0, examined: 0, skipped: 0, forgotten: 0, adopted: 0, lost: 0, timedOut: 0, repaired: 0, refreshed: 0, failed: 0 };
  const due = await dueOpenDispatches(deps.store, now, opts.maxExamined);
  report.due = due.length;
  const one = async (item: OpenDispatchItem) => {
    const lease = new Date(now.getTime() + opts.leaseMs);
    if (!(await leaseOpen(deps.store, item, lease))) {
      report.skipped++;
      return;
    }
    report.examined++;
    const log = deps.log.child({ dispatchId: item.dispatchId, repo: item.repo });
    try {
      const { outcome, next, checked } = await examine({ ...deps, log }, item, now);
      if (outcome) report[outcome]++;
      if (outcome === 'adopted' || outcome === 'lost' || outcome === 'timedOut') {
        metrics.count('reconcilerActions', outcome === 'timedOut' ? 'timed_out' : outcome);
      }
      if (next === 'forget') {
        if (await forgetOpen(deps.store, item, lease)) report.forgotten++;
      } else {
        await rescheduleOpen(deps.store, item, lease, next, checked ? now : null);
      }
    } catch (err) {
      report.failed++;
      log.warn('reconcile failed; retried after the lease', { status: httpStatus(err), error: err });
    }
  };
  // A few at a time: most need no GitHub request, and those that do go through the client's
  // throttling (GitHub asks integrations not to burst).
  let next = 0;
  const lane = async () => {
    while (next < due.length && performance.now() - started <= opts.budgetMs) await one(due[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, lane));
  return report;
}

const viewOf = (d: TimedDispatch): ReconcileView => ({
  state: d.state,
  createdAt: d.createdAt,
  dispatchedAt: d.dispatchedAt,
  startedAt: d.startedAt,
  updatedAt: d.updatedAt,
  attempt: d.attempt,
  dispatchTimeoutMinutes: d.dispatchTimeoutMinutes ?? null,
  timeoutMinutes: d.timeoutMinutes ?? null,
});

async function examine(
  deps: WorkerDeps,
  item: OpenDispatchItem,
  now: Date,
): Promise<{ outcome: Outcome; next: Date | 'forget'; checked: boolean }> {
  const d = (await getDispatch(deps.store, item.repo, item.dispatchId)) as TimedDispatch | null;
  if (!d) return { outcome: null, next: 'forget', checked: false };
  const step = planReconcile(viewOf(d), now, item.checkedAt ? new Date(item.checkedAt) : null);
  if (step.kind === 'forget') return { outcome: null, next: 'forget', checked: false };
  if (step.kind === 'wait') return { outcome: null, next: step.until, checked: false };

  const gh = await deps.github.forInstallation(d.installationId);
  const outcome = await act(deps, gh, d, step, now);
  const after = (await getDispatch(deps.store, d.repo, d.dispatchId)) as TimedDispatch | null;
  const again = after ? planReconcile(viewOf(after), now, now) : ({ kind: 'forget' } as const);
  // Still due by the rules (e.g. a run that could not be cancelled yet): look again after a quiet spell.
  const next = again.kind === 'forget' ? 'forget' : again.kind === 'wait' ? again.until : new Date(now.getTime() + QUIET_MINUTES * MINUTE);
  return { outcome, next, checked: true };
}

async function act(deps: WorkerDeps, gh: GitHub, d: TimedDispatch, step: Exclude<ReconcileStep, { kind: 'forget' | 'wait' }>, now: Date): Promise<Outcome> {
  switch (step.kind) {
    case 'find_run':
      return findLostRun(deps, gh, d, step.waitedMinutes, now);
    case 'time_out':
      return timeOut(deps, gh, d, step.minutes, now);
    case 'poll':
      return poll(deps, gh, d, now);
  }
}

// ---------------------------------------------------------------------------------------------
// Looking runs up

/** The dispatch's run by the id GitHub gave (null when it no longer exists), else by its title. */
async function lookUpRun(gh: GitHub, d: DispatchItem): Promise<WorkflowRun | null> {
  const { owner, repo } = repoParts(d.repo);
  if (d.workflowRunId) {
    try {
      return await getWorkflowRun(gh, { owner, repo, runId: d.workflowRunId });
    } catch (err) {
      if (httpStatus(err) !== 404 && httpStatus(err) !== 410) throw err;
      return null;
    }
  }
  return findRunByDispatchId(gh, { owner, repo, workflow: d.workflow, dispatchId: d.dispatchId, createdAfter: new Date(d.createdAt) });
}

/**
 * Applies a run read from the REST API as its events would have been (smoke results, check run,
 * badge): one path for both (worker/apply-workflow-run.ts).
 */
async function applyRun(deps: WorkerDeps, d: DispatchItem, run: WorkflowRun): Promise<void> {
  const meta = await getRepo(deps.store, d.repo);
  const { owner, repo: name } = repoParts(d.repo);
  const repo: RepoRef = {
    owner,
    name,
    fullName: d.repo,
    private: d.private,
    defaultBranch: meta?.defaultBranch ?? run.repository.default_branch ?? 'main',
    installationId: d.installationId,
  };
  await applyWorkflowRun(deps, run, repo);
}

// ---------------------------------------------------------------------------------------------
// The rules

const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'an unknown time');

async function findLostRun(deps: WorkerDeps, gh: GitHub, d: TimedDispatch, waited: number, now: Date): Promise<Outcome> {
  const run = await lookUpRun(gh, d);
  if (run) {
    await linkWorkflowRun(deps.store, { workflowRunId: Number(run.id), repo: d.repo, dispatchId: d.dispatchId, ttl: d.ttl });
    const note = `No workflow_run event arrived within ${formatDuration(waited * 60)} of the dispatch; the coordinator found [run ${run.id}](${run.html_url}) through the API and follows it from here.`;
    const noted = d.notes.some((n) => n.startsWith('No workflow_run event arrived')) ? d : await patchDispatch(deps.store, d, { notes: [...d.notes, note] }, now);
    await applyRun(deps, noted, run);
    deps.log.info('reconciler adopted a workflow run', { workflowRunId: run.id, waitedMinutes: waited });
    return 'adopted';
  }
  const sent = d.state === 'dispatched';
  const what = `\`${d.workflow}\` on \`${d.ref}\` for commit \`${d.sha.slice(0, 7)}\` (dispatch id \`${d.dispatchId}\`, runner labels ${d.runnerLabels.map((l) => `\`${l}\``).join(', ')})`;
  const note = sent
    ? `Dispatch lost: ${what} was dispatched at ${when(d.dispatchedAt)}, but no workflow run reported back within ${formatDuration(waited * 60)} and GitHub lists none for it${d.workflowRunId ? ` (run ${d.workflowRunId} no longer exists)` : ''}. “Re-run arm64” dispatches it again.`
    : `Dispatch lost: ${what} was recorded at ${when(d.createdAt)} but never reached GitHub, and no workflow run exists for it after ${formatDuration(waited * 60)}. “Re-run arm64” dispatches it again.`;
  const done = await complete(deps, gh, d, PRE_RUN, 'failure', note, now);
  if (done) deps.log.warn('dispatch lost', { state: d.state, workflowRunId: d.workflowRunId, waitedMinutes: waited });
  return done ? 'lost' : null;
}

async function timeOut(deps: WorkerDeps, gh: GitHub, d: TimedDispatch, minutes: number, now: Date): Promise<Outcome> {
  const runId = d.workflowRunId;
  if (runId) {
    const r = await cancelWorkflowRun(gh, { ...repoParts(d.repo), runId });
    // It finished after all: its completion event was lost or is on its way; apply what GitHub says.
    if (r === 'already_completed') return poll(deps, gh, d, now);
  }
  const jobs = await listJobs(deps.store, d.dispatchId);
  const started = jobs.some((j) => j.runAttempt === d.attempt && j.runnerName);
  const doing = started ? 'still running' : 'still waiting for a runner';
  const note = `Timed out: the run was ${doing} ${formatDuration(minutes * 60)} after ${d.attempt > 1 ? 'it started' : 'its dispatch'} (\`timeout_minutes\`: ${minutes}), so the coordinator cancelled${runId ? ` workflow run ${runId}` : ' it'}.`;
  const done = await complete(deps, gh, d, RUNNING, 'timed_out', note, now);
  if (done) deps.log.warn('run timed out and was cancelled', { workflowRunId: runId, minutes });
  return done ? 'timedOut' : null;
}

async function poll(deps: WorkerDeps, gh: GitHub, d: TimedDispatch, now: Date): Promise<Outcome> {
  const run = await lookUpRun(gh, d);
  if (!run) {
    const note = `The workflow run${d.workflowRunId ? ` ${d.workflowRunId}` : ''} no longer exists on GitHub (deleted before it finished), so this run has no result. “Re-run arm64” dispatches it again.`;
    return (await complete(deps, gh, d, RUNNING, 'failure', note, now)) ? 'lost' : null;
  }
  const state = stateOfStatus(run.status);
  const attempt = run.run_attempt ?? 1;
  if (progressOf(state, attempt) > d.progress) {
    if (!d.workflowRunId) await linkWorkflowRun(deps.store, { workflowRunId: Number(run.id), repo: d.repo, dispatchId: d.dispatchId, ttl: d.ttl });
    await applyRun(deps, d, run);
    deps.log.info('reconciler applied a missed workflow_run', { workflowRunId: run.id, status: run.status, attempt });
    return 'repaired';
  }
  // Unchanged. A run still waiting for a runner: show how long it has waited, and the pool now.
  const jobs = await listJobs(deps.store, d.dispatchId);
  if (jobs.some((j) => j.runAttempt === d.attempt && j.runnerName)) return null;
  await refreshFleet(deps, gh, d.repo);
  await syncCheckRun(deps, gh, d, { jobs });
  return 'refreshed';
}

/**
 * Completes the dispatch first-hand, with a note saying why, if it is still in one of `from`; one
 * check-run PATCH. The `completed` event our cancellation triggers later leaves this verdict alone
 * (on-workflow-run.ts).
 */
async function complete(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  from: DispatchState[],
  conclusion: 'failure' | 'timed_out',
  note: string,
  now: Date,
): Promise<DispatchItem | null> {
  const done = await advanceDispatch(
    deps.store,
    d,
    {
      state: 'completed',
      progress: progressOf('completed', d.attempt),
      conclusion,
      completedAt: now.toISOString(),
      notes: [...d.notes, note],
    },
    { now, from },
  );
  if (!done) return null;
  await syncCheckRun(deps, gh, done);
  await rememberLatest(deps, done);
  return done;
}
