import { getLatest, getRepo, recordLatest, type LatestRun } from '../store/repos';
import type { DispatchItem } from '../store/dispatches';
import { currentSmoke } from '../store/dispatch-smoke';
import type { WorkerDeps } from './deps';

/**
 * Branch runs (not pull requests) feed the branch's badges: a named target's run its own
 * (`?target=`), and the default badge target's run (or the one target's, without `targets:`) the
 * badge without `?target=` too.
 */
export async function rememberLatest(deps: WorkerDeps, d: DispatchItem): Promise<void> {
  // A merge queue's branch lives for minutes: its runs feed no badge (and leave no LATEST item behind).
  if (d.pr || !d.branch || d.trigger === 'merge_group') return;
  const branch = d.branch;
  const meta = await getRepo(deps.store, d.repo);
  // While a new run is under way the smoke badge keeps the last results rather than "no data".
  const smoke =
    currentSmoke(d)?.counts ??
    (d.state === 'completed' ? null : ((await getLatest(deps.store, d.repo, branch, d.target))?.smoke ?? null));
  const run: LatestRun = {
    dispatchId: d.dispatchId,
    progress: d.progress,
    state: d.state,
    conclusion: d.conclusion,
    sha: d.sha,
    updatedAt: d.updatedAt,
    smoke,
  };
  if (d.target !== undefined) await recordLatest(deps.store, { repo: d.repo, branch, isDefaultBranch: false, run, target: d.target });
  if (d.target === undefined || meta?.targets?.badge === d.target)
    await recordLatest(deps.store, { repo: d.repo, branch, isDefaultBranch: meta?.defaultBranch === branch, run });
}
