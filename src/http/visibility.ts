import { getRepo, type RepoMeta } from '../store/repos';
import { isValidBadgeToken } from './badge-token';
import type { HttpDeps } from './deps';
import { repoNameOf } from './inputs';

/**
 * A repository as a reader may see it: private ones only with their token, else as if unknown.
 * Visibility is read from the repository's META item alone, the one place a `private: true`
 * delivery or `repository.privatized` closes. A name that could not be a repository's is unknown
 * without asking the store.
 */
export async function visibleRepo(deps: HttpDeps, repo: string, token: string | undefined): Promise<RepoMeta | null> {
  const name = repoNameOf(repo);
  if (!name) return null;
  const meta = await getRepo(deps.store, name);
  if (!meta) return null;
  if (meta.private && !isValidBadgeToken(await deps.badgeSecret(), name, token)) return null;
  return meta;
}
