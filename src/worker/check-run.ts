import { createHash } from 'node:crypto';
import { checkStatus as checkStatusOf } from '../core/check-status';
import { decideCheckUpdate, deferredNote } from '../core/check-updates';
import { chunk } from '../core/chunk';
import type { CheckAnnotation } from '../core/smoke/annotations';
import { repoParts } from '../core/repo-name';
import { renderCheckOutput, type JobView } from '../core/summary';
import { clip } from '../core/text';
import { githubMessage, httpStatus, type GitHub } from '../github/client';
import { updateCheckRun, type CheckOutput } from '../github/checks';
import { belowReserve } from '../github/rate-budget';
import { patchDispatch, runOrigin, type DispatchItem } from '../store/dispatches';
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
    ...runOrigin(d),
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

/** At most 50 annotations per request (GitHub's limit); further requests append. */
const ANNOTATIONS_PER_REQUEST = 50;

/** A digest of everything a check-run update shows: equal digests, nothing new to show. */
export function checkView(status: string, conclusion: string | null, output: CheckOutput): string {
  return createHash('sha256')
    .update(JSON.stringify([status, status === 'completed' ? conclusion : null, output.title, output.summary, output.text ?? null]))
    .digest('base64url')
    .slice(0, 22);
}

/**
 * Brings the GitHub check run in line with the stored dispatch: one PATCH when what it shows
 * changed and is worth a request now (core/check-updates.ts); otherwise nothing, and the next
 * update that goes out carries the change. A conclusion is always sent, with the first 50
 * `annotations`; more follow in further PATCHes (GitHub appends them) while the budget allows.
 * Progress held back because the rate limit ran low leaves a note on the dispatch, which the
 * conclusion shows.
 */
export async function syncCheckRun(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  extra: { output?: CheckOutput; jobs?: JobItem[]; annotations?: CheckAnnotation[] } = {},
): Promise<void> {
  if (!d.checkRunId) return;
  const { owner, repo } = repoParts(d.repo);
  const status = checkStatus(d);
  const now = deps.now();
  const jobs = extra.jobs ?? (await listJobs(deps.store, d.dispatchId));
  const output = extra.output ?? (await renderDispatch(deps, d, jobs));
  const view = checkView(status, d.conclusion, output);
  const low = belowReserve(gh, now);
  const current = jobs.filter((j) => j.runAttempt === d.attempt);
  const decision = decideCheckUpdate({
    status,
    view,
    shown: d.checkShown ?? null,
    now,
    jobsAllDone: current.length > 0 && current.every((j) => j.status === 'completed'),
    lowBudget: low !== null,
  });
  if (!decision.send) {
    if (decision.reason === 'deferred' && low) await noteDeferred(deps, d, low);
    deps.log.debug('check-run update held back', { dispatchId: d.dispatchId, status, reason: decision.reason });
    return;
  }
  const actions = checkRunActions(status, d.conclusion ?? 'failure');
  const update = {
    owner,
    repo,
    check_run_id: d.checkRunId,
    status,
    ...(status === 'completed'
      ? { conclusion: d.conclusion ?? 'failure', completed_at: d.completedAt ?? now.toISOString() }
      : {}),
    ...(status === 'in_progress' && d.startedAt ? { started_at: d.startedAt } : {}),
    // Every finished run offers "Re-run arm64" (handled by on-check-run's requested_action).
    ...(actions ? { actions } : {}),
  };
  const [first = [], ...more] = chunk(extra.annotations ?? [], ANNOTATIONS_PER_REQUEST);
  try {
    await updateCheckRun(gh, { ...update, output: first.length ? { ...output, annotations: first } : output });
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
    more.length = 0;
  }
  await patchDispatch(deps.store, d, { checkShown: { status, view, at: now.toISOString() } }, now);
  if (more.length === 0) return;
  if (belowReserve(gh, deps.now())) {
    deps.log.info('further annotations not sent: the rate limit is below the reserve', { dispatchId: d.dispatchId, left: more.flat().length });
    return;
  }
  try {
    // Each PATCH must carry the output's title and summary: the final ones.
    for (const batch of more) await updateCheckRun(gh, { owner, repo, check_run_id: d.checkRunId, output: { ...output, annotations: batch } });
  } catch (err) {
    // The conclusion and the first 50 are shown: the rest are logged rather than retried.
    deps.log.warn('further annotations not sent', { dispatchId: d.dispatchId, status: httpStatus(err), error: githubMessage(err) });
  }
}

/** Progress waited for the rate limit: say so on the dispatch (once), so the conclusion shows it. */
async function noteDeferred(deps: WorkerDeps, d: DispatchItem, budget: { remaining: number; reserve: number }): Promise<void> {
  deps.log.info('check-run progress deferred: rate limit below the reserve', { dispatchId: d.dispatchId, remaining: budget.remaining, reserve: budget.reserve });
  if (d.notes.some((n) => n.startsWith(DEFERRED_PREFIX))) return;
  await patchDispatch(deps.store, d, { notes: [...d.notes, deferredNote(budget)] }, deps.now());
}

const DEFERRED_PREFIX = deferredNote({ remaining: 0, reserve: 0 }).slice(0, 40);
