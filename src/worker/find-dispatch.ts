import { dispatchIdFromTitle } from '../core/dispatch-inputs';
import { findByWorkflowRun, getDispatch, linkWorkflowRun, patchDispatch, type DispatchItem } from '../store/dispatches';
import type { ReportedRun } from '../github/workflow-runs';
import type { WorkerDeps } from './deps';

/**
 * Which of our dispatches a workflow run belongs to: by the run id GitHub returned when we
 * dispatched, else by the dispatch id the workflow puts in its run-name (older servers, or an
 * event that beat the dispatch answer). Runs we did not dispatch answer null.
 */
export async function findDispatchForRun(
  deps: WorkerDeps,
  run: ReportedRun,
  repoFullName: string,
): Promise<DispatchItem | null> {
  const runId = Number(run.id);
  const pointer = await findByWorkflowRun(deps.store, runId);
  if (pointer) return getDispatch(deps.store, pointer.repo, pointer.dispatchId);
  if (run.event && run.event !== 'workflow_dispatch') return null;
  const id = dispatchIdFromTitle('display_title' in run ? run.display_title : null);
  if (!id) return null;
  const d = await getDispatch(deps.store, repoFullName, id);
  if (!d) return null;
  // A run-name can be copied by hand; only adopt a run for the commit we dispatched.
  if (d.workflowRunId && d.workflowRunId !== runId) return null;
  if (run.head_sha && d.inputs.sha && d.inputs.sha !== run.head_sha && d.sha !== run.head_sha) {
    deps.log.debug('run names our dispatch but another commit', { runId, dispatchId: id });
  }
  await linkWorkflowRun(deps.store, { workflowRunId: runId, repo: d.repo, dispatchId: d.dispatchId, ttl: d.ttl });
  return d.workflowRunId ? d : patchDispatch(deps.store, d, { workflowRunId: runId }, deps.now());
}
