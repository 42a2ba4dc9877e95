import type { components } from '@octokit/openapi-types';
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { dispatchIdFromTitle } from '../core/dispatch-inputs';
import type { GitHub } from './client';
import { httpStatus } from './client';
import { conditionalGet } from './conditional';

export type WorkflowRun = components['schemas']['workflow-run'];

type EventRun = EmitterWebhookEvent<'workflow_run'>['payload']['workflow_run'];
type ReportedField =
  | 'id'
  | 'status'
  | 'conclusion'
  | 'run_attempt'
  | 'html_url'
  | 'display_title'
  | 'event'
  | 'head_sha'
  | 'run_started_at'
  | 'updated_at'
  | 'pull_requests';

/** Pick from each member of a union: a field one member lacks is left out of that member only. */
type PickEach<T, K extends PropertyKey> = T extends unknown ? Pick<T, Extract<K, keyof T>> : never;

/**
 * A workflow run as GitHub reports it, in a `workflow_run` event or a REST answer: the fields
 * applying a run to its dispatch reads (worker/apply-workflow-run.ts), each typed as its source
 * types it (REST ids may be bigints; the `in_progress` event's schema lacks `display_title`).
 */
export type ReportedRun = PickEach<WorkflowRun | EventRun, ReportedField>;

/**
 * Finds the run a dispatch produced by the dispatch id in its run-name, among the workflow's
 * dispatch-triggered runs created since `createdAfter`. The fallback when GitHub returned no run
 * id, or when we cannot tell whether a dispatch request went through.
 */
export async function findRunByDispatchId(
  gh: GitHub,
  q: { owner: string; repo: string; workflow: string; dispatchId: string; createdAfter: Date },
): Promise<WorkflowRun | null> {
  // Run creation times come from GitHub's clock: allow for skew with ours.
  const since = new Date(q.createdAfter.getTime() - 5 * 60_000).toISOString();
  for (let page = 1; page <= 5; page++) {
    const r = await gh.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
      owner: q.owner,
      repo: q.repo,
      workflow_id: q.workflow,
      event: 'workflow_dispatch',
      created: `>=${since}`,
      per_page: 100,
      page,
    });
    const runs = r.data.workflow_runs as WorkflowRun[];
    const hit = runs.find((run) => dispatchIdFromTitle(run.display_title) === q.dispatchId);
    if (hit) return hit;
    if (runs.length < 100) break;
  }
  return null;
}

/** Conditional: a run the reconciler finds unchanged costs a 304, which GitHub does not count (./conditional.ts). */
export async function getWorkflowRun(gh: GitHub, p: { owner: string; repo: string; runId: number }): Promise<WorkflowRun> {
  return (await conditionalGet(gh, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}', { owner: p.owner, repo: p.repo, run_id: p.runId })) as WorkflowRun;
}

/**
 * Asks GitHub to cancel a workflow run. 409 means it already finished and 404 that it is gone:
 * either way there is nothing left to stop, so neither is an error.
 */
export async function cancelWorkflowRun(
  gh: GitHub,
  p: { owner: string; repo: string; runId: number },
): Promise<'cancelling' | 'already_completed' | 'not_found'> {
  try {
    await gh.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', {
      owner: p.owner,
      repo: p.repo,
      run_id: p.runId,
      // The retry plugin would retry a 409 with back-off (it is not in its do-not-retry list); a
      // 5xx fails the message instead, and the queue retries the whole, idempotent step.
      request: { retries: 0 },
    });
    return 'cancelling';
  } catch (err) {
    const status = httpStatus(err);
    if (status === 409) return 'already_completed';
    if (status === 404) return 'not_found';
    throw err;
  }
}
