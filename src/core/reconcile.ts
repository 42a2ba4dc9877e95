/**
 * What the reconciler should do about one open dispatch, now. Webhooks can be lost (GitHub never
 * redelivers by itself) and runs can hang; these rules make sure every dispatch ends finished or
 * explained. Pure: the caller passes the clock and acts on the answer.
 */

export const DEFAULT_DISPATCH_TIMEOUT_MINUTES = 10;
export const DEFAULT_TIMEOUT_MINUTES = 360;
/** A running dispatch with no event for this long is checked against GitHub. */
export const QUIET_MINUTES = 10;

export interface ReconcileView {
  state: string;
  createdAt: string;
  dispatchedAt: string | null;
  /** The current attempt's start (run_started_at), when a workflow_run event reported one. */
  startedAt: string | null;
  /** Last change of the dispatch: the last event that moved it (or the last poll that did). */
  updatedAt: string;
  attempt: number;
  dispatchTimeoutMinutes?: number | null;
  timeoutMinutes?: number | null;
}

export type ReconcileStep =
  /** Finished or held: nothing will ever be due; drop it from the open index. */
  | { kind: 'forget' }
  /** Nothing to do before `until`. */
  | { kind: 'wait'; until: Date }
  /** No workflow_run matched within dispatch_timeout_minutes: look the run up (adopt it, or fail "dispatch lost"). */
  | { kind: 'find_run'; waitedMinutes: number }
  /** Queued or running past timeout_minutes: cancel it, complete `timed_out`. */
  | { kind: 'time_out'; minutes: number }
  /** Quiet for QUIET_MINUTES: ask GitHub how the run stands (a `completed` event may have been lost). */
  | { kind: 'poll' };

const MINUTE = 60_000;
const PRE_RUN = new Set(['pending', 'dispatching', 'dispatched']);
const RUNNING = new Set(['queued', 'in_progress']);

const t = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NaN);

/** When the current attempt's clock started: its run start for a re-run, else the dispatch. */
export function runClockStart(d: ReconcileView): number {
  const dispatched = t(d.dispatchedAt ?? d.createdAt);
  const started = t(d.startedAt);
  if (d.attempt > 1 && Number.isFinite(started)) return started;
  return Number.isFinite(dispatched) ? dispatched : t(d.createdAt);
}

/**
 * `lastCheckedAt`: when the reconciler last asked GitHub about this dispatch, so an unchanged run
 * is polled every QUIET_MINUTES, not on every pass.
 */
export function planReconcile(d: ReconcileView, now: Date, lastCheckedAt: Date | null = null): ReconcileStep {
  const nowMs = now.getTime();
  if (PRE_RUN.has(d.state)) {
    const limit = (d.dispatchTimeoutMinutes ?? DEFAULT_DISPATCH_TIMEOUT_MINUTES) * MINUTE;
    const since = t(d.dispatchedAt ?? d.createdAt);
    const due = since + limit;
    if (nowMs >= due) return { kind: 'find_run', waitedMinutes: Math.floor((nowMs - since) / MINUTE) };
    return { kind: 'wait', until: new Date(due) };
  }
  if (RUNNING.has(d.state)) {
    const timeout = (d.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES) * MINUTE;
    const deadline = runClockStart(d) + timeout;
    if (nowMs >= deadline) return { kind: 'time_out', minutes: Math.round(timeout / MINUTE) };
    const lastHeard = Math.max(t(d.updatedAt) || 0, lastCheckedAt?.getTime() ?? 0);
    const quietDue = lastHeard + QUIET_MINUTES * MINUTE;
    if (nowMs >= quietDue) return { kind: 'poll' };
    return { kind: 'wait', until: new Date(Math.min(deadline, quietDue)) };
  }
  // completed, awaiting_approval (its check run is already finished), or a state we do not know.
  return { kind: 'forget' };
}
