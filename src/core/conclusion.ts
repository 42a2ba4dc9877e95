/**
 * Workflow run → check run state. Webhooks arrive out of order (a late `requested` after
 * `completed`), so updates only ever move a check forward: see `isForward`.
 */
import type { components } from '@octokit/openapi-types';

export type CheckStatus = 'queued' | 'in_progress' | 'completed';
/** What an app may set as a check run's conclusion (GitHub alone sets `stale`). */
export type CheckConclusion = NonNullable<components['schemas']['check-run']['conclusion']>;

const CONCLUSIONS: Record<string, CheckConclusion> = {
  success: 'success',
  failure: 'failure',
  neutral: 'neutral',
  cancelled: 'cancelled',
  skipped: 'skipped',
  timed_out: 'timed_out',
  action_required: 'action_required',
  // The Checks API refuses `stale` from apps ("only GitHub can set this"); a run GitHub gave up
  // on because it sat too long reads best as timed out.
  stale: 'timed_out',
  // The workflow could not even start (bad YAML, no matching runner group…): a failure to fix.
  startup_failure: 'failure',
};

const WORDS: Record<string, string> = {
  success: 'passed',
  failure: 'failed',
  cancelled: 'cancelled',
  timed_out: 'timed out',
  skipped: 'skipped',
  neutral: 'neutral',
  action_required: 'action required',
  stale: 'stale',
  startup_failure: 'failed to start',
};

/** A conclusion (GitHub's, of a run, a job or a check) as people read it: `timed_out` is "timed out". */
export function conclusionWord(conclusion: string): string {
  return WORDS[conclusion] ?? conclusion.replace(/_/g, ' ');
}

export function checkStateFromWorkflowRun(run: { status: string | null; conclusion: string | null }): {
  status: CheckStatus;
  conclusion: CheckConclusion | null;
} {
  if (run.status === 'completed') {
    // Fail closed: an unknown or missing conclusion must not satisfy a required check
    // (neutral and skipped would).
    const conclusion = (run.conclusion !== null && CONCLUSIONS[run.conclusion]) || 'failure';
    return { status: 'completed', conclusion };
  }
  if (run.status === 'in_progress') return { status: 'in_progress', conclusion: null };
  // requested, queued, pending, waiting, and anything new: not started yet.
  return { status: 'queued', conclusion: null };
}

const RANK: Record<string, number> = {
  // The coordinator's own states before GitHub reports a run.
  pending: 0,
  dispatched: 0,
  requested: 1,
  queued: 1,
  waiting: 1,
  in_progress: 2,
  completed: 3,
};

/** Progress order of a status; unknown statuses rank below all known ones. */
export function stateRank(status: string): number {
  return RANK[status] ?? -1;
}

/** Whether moving from `from` to `to` is progress. Equal ranks are not, and completed is final. */
export function isForward(from: string, to: string): boolean {
  return stateRank(to) > stateRank(from);
}
