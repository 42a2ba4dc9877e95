/**
 * When a check run is worth a PATCH. Each PATCH costs one request of the installation's hourly
 * budget (5,000 for most), shared by every repository of the installation, so a run's check run
 * is updated only when what it shows changes, and progress is coalesced:
 *
 * - a conclusion is always sent (unless exactly that was already shown);
 * - below the rate-limit reserve, progress waits, folded into the next update that goes out;
 * - a status change (queued → in progress) is sent;
 * - once every job has finished, the run's completion follows within seconds: it carries the jobs;
 * - otherwise (a job picked up, a job finished while others run) at most one update a minute.
 */

/** Progress of one check run is shown at most this often (status changes and conclusions are not held back). */
export const PROGRESS_INTERVAL_MS = 60_000;

/** What the check run last showed: its status, a digest of its whole content, and when. */
export interface ShownCheck {
  status: string;
  view: string;
  at: string;
}

export type CheckUpdateDecision =
  | { send: true }
  | { send: false; reason: 'unchanged' | 'deferred' | 'completion-follows' | 'coalesced' };

export function decideCheckUpdate(i: {
  status: 'queued' | 'in_progress' | 'completed';
  /** Digest of what the update would show (status, conclusion, output). */
  view: string;
  shown: ShownCheck | null;
  now: Date;
  /** The current attempt has jobs and all of them have completed. */
  jobsAllDone: boolean;
  /** The installation's budget is below the reserve. */
  lowBudget: boolean;
}): CheckUpdateDecision {
  if (i.shown && i.shown.view === i.view) return { send: false, reason: 'unchanged' };
  if (i.status === 'completed') return { send: true };
  if (i.lowBudget) return { send: false, reason: 'deferred' };
  if (!i.shown || i.shown.status !== i.status) return { send: true };
  if (i.jobsAllDone) return { send: false, reason: 'completion-follows' };
  const since = i.now.getTime() - Date.parse(i.shown.at);
  if (Number.isFinite(since) && since < PROGRESS_INTERVAL_MS) return { send: false, reason: 'coalesced' };
  return { send: true };
}

/** The note a check run carries once its progress updates waited for the rate limit. */
export function deferredNote(b: { remaining: number; reserve: number }): string {
  return (
    `GitHub's rate limit for this installation ran low (${b.remaining} requests left this hour, below the reserve of ${b.reserve}), ` +
    'so progress updates of this check run were deferred; the dispatch and the conclusion were sent as usual.'
  );
}
