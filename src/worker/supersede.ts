/**
 * Stopping runs that no longer matter: a newer commit replaced theirs (a push, a pull request's
 * `synchronize`), their pull request was closed, or a maintainer said `/arm64 cancel`.
 *
 * The store is updated first-hand (completed `cancelled`, with a note saying why) rather than
 * waiting for GitHub's `workflow_run.completed`: that event carries no reason, and it then finds
 * the dispatch already completed and is dropped, so the note stays.
 */
import type { RepoConfig } from '../core/config/schema';
import { progressOf } from '../core/progress';
import { repoParts } from '../core/repo-name';
import type { GitHub } from '../github/client';
import { cancelWorkflowRun, findRunByDispatchId } from '../github/workflow-runs';
import {
  advanceDispatch,
  dispatchesOfRef,
  getDispatch,
  type DispatchItem,
  type DispatchState,
} from '../store/dispatches';
import { syncCheckRun } from './check-run';
import type { RepoRef, WorkerDeps } from './deps';
import { closeOpen } from '../store/open-dispatches';
import { rememberLatest } from './remember-latest';

/** States in which a dispatch may still use (or be about to use) a runner. */
export const IN_FLIGHT: readonly DispatchState[] = ['pending', 'dispatching', 'dispatched', 'queued', 'in_progress'];

/**
 * Cancels one dispatch: its workflow run on GitHub (when there is one) and its check run, which
 * ends `cancelled` with `note`. Returns the completed dispatch, or null when it had already
 * finished (or was not in one of `from`). Safe to repeat.
 */
async function stopDispatch(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  note: string,
  from: readonly DispatchState[] = IN_FLIGHT,
): Promise<DispatchItem | null> {
  // Index reads may lag: decide on the item itself.
  const fresh = await getDispatch(deps.store, d.repo, d.dispatchId);
  if (!fresh || !from.includes(fresh.state)) return null;
  const { owner, repo } = repoParts(fresh.repo);
  let runId = fresh.workflowRunId;
  if (!runId && (fresh.state === 'dispatching' || fresh.state === 'dispatched')) {
    // GitHub may have made the run without telling us its id (older servers, a crash mid-request).
    const run = await findRunByDispatchId(gh, {
      owner,
      repo,
      workflow: fresh.workflow,
      dispatchId: fresh.dispatchId,
      createdAfter: new Date(fresh.createdAt),
    });
    runId = run ? Number(run.id) : null;
  }
  if (runId) await cancelWorkflowRun(gh, { owner, repo, runId });
  const now = deps.now();
  const done = await advanceDispatch(
    deps.store,
    fresh,
    {
      state: 'completed',
      progress: progressOf('completed', fresh.attempt),
      conclusion: 'cancelled',
      completedAt: now.toISOString(),
      notes: [...fresh.notes, note],
      ...(runId && !fresh.workflowRunId ? { workflowRunId: runId } : {}),
    },
    { now, from: [...from] },
  );
  if (!done) return null;
  await syncCheckRun(deps, gh, done);
  // The workflow_run event that would have recorded this will now be dropped as stale.
  await rememberLatest(deps, done);
  await closeOpen(deps.store, done.dispatchId, done.attempt);
  deps.log.info('dispatch cancelled', { repo: done.repo, dispatchId: done.dispatchId, workflowRunId: runId, note });
  return done;
}

/** Stops every listed dispatch that is still in flight; returns those it stopped. */
export async function stopAll(
  deps: WorkerDeps,
  gh: GitHub,
  list: DispatchItem[],
  note: (d: DispatchItem) => string,
  from: readonly DispatchState[] = IN_FLIGHT,
): Promise<DispatchItem[]> {
  const stopped: DispatchItem[] = [];
  // One at a time: each is a few GitHub writes, and GitHub asks integrations not to burst.
  for (const d of list) {
    if (!from.includes(d.state)) continue;
    const done = await stopDispatch(deps, gh, d, note(d), from);
    if (done) stopped.push(done);
  }
  return stopped;
}

/**
 * A push or `synchronize` replaced `oldSha` on a branch or pull request: its runs there are moot.
 * Held runs of the old commit are closed too, so no stale "waiting for /ok-to-test" remains.
 * Only that ref's runs: the same commit may also be under test on another branch.
 */
export async function cancelSuperseded(
  deps: WorkerDeps,
  gh: GitHub,
  a: { repo: RepoRef; config: RepoConfig; ref: { branch?: string | null; pr?: number | null }; oldSha: string; newSha: string },
): Promise<DispatchItem[]> {
  if (!a.config.cancel_superseded || /^0+$/.test(a.oldSha) || a.oldSha === a.newSha) return [];
  const list = (await dispatchesOfRef(deps.store, a.repo.fullName, a.ref)).filter((d) => d.sha === a.oldSha);
  if (list.length === 0) return [];
  return stopAll(
    deps,
    gh,
    list,
    () => `Superseded by ${a.newSha.slice(0, 7)}: a newer commit replaced ${a.oldSha.slice(0, 7)}, so this run was cancelled.`,
    [...IN_FLIGHT, 'awaiting_approval'],
  );
}
