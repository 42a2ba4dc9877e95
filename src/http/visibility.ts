import { getRepo, type RepoMeta } from '../store/repos';
import { isValidBadgeToken } from './badge-token';
import type { HttpDeps } from './deps';

/** A repository as a reader may see it: private ones only with their token, else as if unknown. */
export async function visibleRepo(deps: HttpDeps, repo: string, token: string | undefined): Promise<RepoMeta | null> {
  const meta = await getRepo(deps.store, repo);
  if (!meta) return null;
  if (meta.private && !isValidBadgeToken(await deps.badgeSecret(), repo, token)) return null;
  return meta;
}

export function baseUrl(deps: HttpDeps, requestUrl: string): string {
  return deps.publicUrl ?? new URL(requestUrl).origin;
}
