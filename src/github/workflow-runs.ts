import type { components } from '@octokit/openapi-types';
import { dispatchIdFromTitle } from '../core/dispatch-inputs';
import type { GitHub } from './client';

export type WorkflowRun = components['schemas']['workflow-run'];

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

export async function getWorkflowRun(gh: GitHub, p: { owner: string; repo: string; runId: number }): Promise<WorkflowRun> {
  const r = await gh.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { owner: p.owner, repo: p.repo, run_id: p.runId });
  return r.data as WorkflowRun;
}
