import { checkStatus as checkStatusOf } from '../core/check-status';
import { repoParts } from '../core/repo-name';
import { renderCheckOutput, type JobView } from '../core/summary';
import { clip } from '../core/text';
import { githubMessage, httpStatus, type GitHub } from '../github/client';
import { updateCheckRun, type CheckOutput } from '../github/checks';
import type { DispatchItem } from '../store/dispatches';
import { listJobs, type JobItem } from '../store/jobs';
import { currentSmoke } from '../store/dispatch-smoke';
import { getRunResult } from '../store/run-results';
import { runPageUrl, type WorkerDeps } from './deps';
import { fleetSection } from './fleet';
import { checkRunActions } from './rerun-action';

const jobView = (j: JobItem): JobView => ({
  id: j.jobId,
  name: j.name,
  status: j.status,
  conclusion: j.conclusion,
  runnerName: j.runnerName,
  labels: j.labels,
  startedAt: j.startedAt,
  completedAt: j.completedAt,
  htmlUrl: j.htmlUrl,
});

export const checkStatus = (d: DispatchItem) => checkStatusOf(d.state);

export async function renderDispatch(deps: WorkerDeps, d: DispatchItem, jobs?: JobItem[]): Promise<CheckOutput> {
  const list = jobs ?? (await listJobs(deps.store, d.dispatchId));
  // The smoke section was rendered once when the run completed (worker/smoke-results) and is kept
  // with the run's results, so any later update of the check run shows it unchanged.
  const smoke = currentSmoke(d);
  const result = smoke ? await getRunResult(deps.store, d.dispatchId, smoke.attempt) : null;
  return renderCheckOutput({
    checkName: d.checkName,
    repo: d.repo,
    sha: d.sha,
    branch: d.branch,
    pr: d.pr,
    trigger: d.trigger,
    actor: d.actor,
    workflow: d.workflow,
    runnerLabels: d.runnerLabels,
    dispatchId: d.dispatchId,
    status: checkStatus(d),
    conclusion: d.conclusion,
    workflowRun: d.workflowRunId ? { id: d.workflowRunId, htmlUrl: d.workflowRunUrl ?? '', attempt: d.attempt } : null,
    jobs: list.map(jobView),
    dashboardUrl: runPageUrl(deps.publicUrl, d.repo, d.dispatchId),
    notes: d.notes,
    smoke: result ? { markdown: result.markdown, rate: smoke?.rateText ?? null } : null,
    decidedBy: smoke?.rule ?? null,
    // Named targets: the comparison with the baseline (worker/baseline.ts); then the artifact sizes.
    sections: [d.comparison?.markdown ?? '', result?.artifactsMarkdown ?? ''],
    // Who took the job and after how long, or why nobody has yet (worker/fleet.ts).
    fleet: await fleetSection(deps, d, list),
  });
}

/** Brings the GitHub check run in line with the stored dispatch (one PATCH). */
export async function syncCheckRun(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  extra: { output?: CheckOutput; jobs?: JobItem[] } = {},
): Promise<void> {
  if (!d.checkRunId) return;
  const { owner, repo } = repoParts(d.repo);
  const status = checkStatus(d);
  const actions = checkRunActions(status, d.conclusion ?? 'failure');
  const update = {
    owner,
    repo,
    check_run_id: d.checkRunId,
    status,
    ...(status === 'completed'
      ? { conclusion: d.conclusion ?? 'failure', completed_at: d.completedAt ?? deps.now().toISOString() }
      : {}),
    ...(status === 'in_progress' && d.startedAt ? { started_at: d.startedAt } : {}),
    // Every finished run offers "Re-run arm64" (handled by on-check-run's requested_action).
    ...(actions ? { actions } : {}),
  };
  const output = extra.output ?? (await renderDispatch(deps, d, extra.jobs));
  try {
    await updateCheckRun(gh, { ...update, output });
  } catch (err) {
    if (httpStatus(err) !== 422) throw err;
    // GitHub refused the rendered output (a field it will never accept): the state must still
    // reach the check run, so send it with a plain output that says what happened and where the
    // full summary is. A refusal of that too is a real error.
    const link = runPageUrl(deps.publicUrl, d.repo, d.dispatchId);
    deps.log.warn('check-run output refused, sent a plain one', { dispatchId: d.dispatchId, error: githubMessage(err) });
    await updateCheckRun(gh, {
      ...update,
      output: {
        title: clip(output.title, 255),
        summary: `GitHub refused this run's full summary (HTTP 422: ${githubMessage(err)}). It is on the [dashboard](${link}).`,
      },
    });
  }
}
