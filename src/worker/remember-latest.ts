import { getLatest, getRepo, recordLatest } from '../store/repos';
import type { DispatchItem } from '../store/dispatches';
import { currentSmoke } from '../store/dispatch-smoke';
import type { WorkerDeps } from './deps';

/** Branch runs (not pull requests) feed the branch's badge. */
export async function rememberLatest(deps: WorkerDeps, d: DispatchItem): Promise<void> {
  if (d.pr || !d.branch) return;
  const meta = await getRepo(deps.store, d.repo);
  // While a new run is under way the smoke badge keeps the last results rather than "no data".
  const smoke =
    currentSmoke(d)?.counts ?? (d.state === 'completed' ? null : ((await getLatest(deps.store, d.repo, d.branch))?.smoke ?? null));
  await recordLatest(deps.store, {
    repo: d.repo,
    branch: d.branch,
    isDefaultBranch: meta?.defaultBranch === d.branch,
    run: {
      dispatchId: d.dispatchId,
      progress: d.progress,
      state: d.state,
      conclusion: d.conclusion,
      sha: d.sha,
      updatedAt: d.updatedAt,
      smoke,
    },
  });
}
