import { CONFIG_PATH, type RepoConfig } from '../core/config/schema';
import { baselineTarget, defaultBadgeTarget, hasNamedTargets, targetsOf } from '../core/config/targets';
import type { GitHub } from '../github/client';
import { upsertRepo } from '../store/repos';
import { reportInvalidConfig } from './config-problems';
import type { RepoRef, WorkerDeps } from './deps';
import { ignored } from './outcome';
import { loadRepoConfig } from './repo-config';

/**
 * The common start of a push or pull request: remember the repository, read its config from the
 * default branch, and turn a broken config into a failed check run on `sha`. Null when there is
 * nothing more to do (no config, or a broken one already reported).
 */
export async function configuredRepo(
  deps: WorkerDeps,
  repo: RepoRef,
  at: { sha: string; deliveryId: string },
): Promise<{ gh: GitHub; config: RepoConfig } | null> {
  // Targets cleared here and set again below once the config is read: a file that dropped
  // `targets:` leaves no `?target=` badges behind (the write is the same one either way).
  await upsertRepo(deps.store, repoItem(deps, repo, null));
  const gh = await deps.github.forInstallation(repo.installationId);
  const cfg = await loadRepoConfig(gh, repo);
  if (cfg.kind === 'missing') {
    ignored(deps, `not configured: no ${CONFIG_PATH} on ${repo.defaultBranch}`);
    return null;
  }
  if (cfg.kind === 'invalid') {
    await reportInvalidConfig(deps, gh, { repo, sha: at.sha, problems: cfg.problems, deliveryId: at.deliveryId });
    deps.outcome?.add('updated check run', `invalid ${CONFIG_PATH}`);
    return null;
  }
  await rememberTargets(deps, repo, cfg.config);
  return { gh, config: cfg.config };
}

/**
 * The badges read which targets exist (and which one a badge without `?target=` shows) from the
 * repository item, since the web function never reads a config. A file without `targets:` writes
 * nothing more: its repository item stays as it always was.
 */
async function rememberTargets(deps: WorkerDeps, repo: RepoRef, config: RepoConfig): Promise<void> {
  if (!hasNamedTargets(config)) return;
  await upsertRepo(deps.store, repoItem(deps, repo, {
    names: targetsOf(config).map((t) => t.name),
    badge: defaultBadgeTarget(config).name,
    ...(baselineTarget(config) ? { baseline: baselineTarget(config)!.name } : {}),
  }));
}

/** The repository item as this delivery sees it, with the targets the badges read. */
function repoItem(deps: WorkerDeps, repo: RepoRef, targets: Parameters<typeof upsertRepo>[1]['targets']): Parameters<typeof upsertRepo>[1] {
  return { repo: repo.fullName, private: repo.private, defaultBranch: repo.defaultBranch, installationId: repo.installationId, now: deps.now(), targets };
}
