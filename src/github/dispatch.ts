import type { GitHub } from './client';

interface DispatchResult {
  /** Present when GitHub returned run details (api.github.com since 2026); null on older servers (GHES). */
  workflowRunId: number | null;
  runUrl: string | null;
  htmlUrl: string | null;
}

/**
 * workflow_dispatch with `return_run_details`, so the run is known at once instead of guessed from
 * later events. Older servers answer 204 without details: the dispatch id in the run-name is the fallback.
 */
export async function dispatchWorkflow(
  gh: GitHub,
  d: { owner: string; repo: string; workflow: string; ref: string; inputs: Record<string, string> },
): Promise<DispatchResult> {
  const r = await gh.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    owner: d.owner,
    repo: d.repo,
    workflow_id: d.workflow,
    ref: d.ref,
    inputs: d.inputs,
    return_run_details: true,
  });
  const data = (r.status === 200 ? r.data : null) as { workflow_run_id?: number; run_url?: string; html_url?: string } | null;
  return {
    workflowRunId: data?.workflow_run_id ?? null,
    runUrl: data?.run_url ?? null,
    htmlUrl: data?.html_url ?? null,
  };
}
