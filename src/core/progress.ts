/**
 * How far a dispatch (or a job) has got, as one number that only grows. Events arrive out of
 * order and more than once; a write that would lower this number is dropped, so a check run is
 * never moved backwards. A new attempt (GitHub's "Re-run jobs") starts a higher band.
 */
const RANK: Record<string, number> = {
  pending: 0,
  dispatching: 1,
  dispatched: 2,
  awaiting_approval: 2,
  requested: 3,
  queued: 3,
  waiting: 3,
  in_progress: 4,
  completed: 5,
};

export function progressOf(state: string, attempt = 1): number {
  return Math.max(1, attempt) * 10 + (RANK[state] ?? 0);
}

/** Our dispatch state for a GitHub workflow-run or job status. */
export function stateOfStatus(status: string | null | undefined): 'queued' | 'in_progress' | 'completed' {
  if (status === 'completed') return 'completed';
  if (status === 'in_progress') return 'in_progress';
  return 'queued';
}
