/**
 * What GitHub's Re-run buttons share (check_run.rerequested / requested_action and
 * check_suite.rerequested): read the commit's config as it is now, report a broken file on the
 * commit, else run each source dispatch again (redispatch.ts).
 */
import type { DispatchItem } from '../store/dispatches';
import { reportInvalidConfig } from './config-problems';
import type { RepoRef, WorkerDeps } from './deps';
import { rerunDispatch } from './redispatch';
import { loadRepoConfig } from './repo-config';

export async function rerunFromButton(
  deps: WorkerDeps,
  a: { repo: RepoRef; sha: string; sources: DispatchItem[]; actor: string | null; deliveryId: string; via: string },
): Promise<void> {
  const gh = await deps.github.forInstallation(a.repo.installationId);
  const cfg = await loadRepoConfig(gh, a.repo);
  if (cfg.kind === 'missing') return;
  if (cfg.kind === 'invalid') {
    await reportInvalidConfig(deps, gh, { repo: a.repo, sha: a.sha, problems: cfg.problems, deliveryId: a.deliveryId });
    return;
  }
  for (const source of a.sources) {
    const result = await rerunDispatch(deps, gh, {
      repo: a.repo,
      config: cfg.config,
      source,
      actor: a.actor,
      deliveryId: a.deliveryId,
      claimKey: `rerun:${source.dispatchId}`,
      via: a.via,
    });
    deps.log.info('re-run requested', { repo: a.repo.fullName, source: source.dispatchId, result: result.kind, dispatchId: result.dispatch?.dispatchId });
  }
}
