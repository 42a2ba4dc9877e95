import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { renderBadgeSvg, shieldsEndpoint, smokeBadge, statusBadge, type BadgeSpec } from '../core/badge';
import { checkStatus } from '../core/check-status';
import { DEFAULT_TARGET } from '../core/default-target';
import { getLatest, getRepo, namedTarget, type LatestRun } from '../store/repos';
import { isValidBadgeToken } from './badge-token';
import type { HttpDeps } from './deps';
import { boundedQuery, repoName } from './inputs';

type Kind = 'status' | 'smoke';

/**
 * The newest run of a branch in as few reads as possible: the repository item carries a copy of
 * the default branch's latest run, so the usual README badge is one GetItem; a `?branch=` badge
 * reads the branch's item alongside it. Visibility always comes from the repository item (never
 * from a copy written with the run), so a repository that turns private closes every branch's
 * badge at once. Private repositories without a valid token look exactly like unknown ones.
 */
async function findLatest(
  deps: HttpDeps,
  repo: string,
  branch: string | undefined,
  token: string | undefined,
  target: string | undefined,
): Promise<{ found: false } | { found: true; latest: LatestRun | null }> {
  const [meta, item] = await Promise.all([
    getRepo(deps.store, repo),
    branch && target === undefined ? getLatest(deps.store, repo, branch) : null,
  ]);
  if (!meta) return { found: false };
  if (meta.private && !isValidBadgeToken(await deps.badgeSecret(), repo, token)) return { found: false };
  if (target !== undefined) {
    const named = namedTarget(meta.targets, target);
    // The one target of a file without `targets:` is `default`: the same badge as without the query.
    if (named === undefined) return target === DEFAULT_TARGET && !meta.targets ? findLatest(deps, repo, branch, token, undefined) : { found: false };
    if (named !== meta.targets?.badge || branch)
      return { found: true, latest: await getLatest(deps.store, repo, branch ?? meta.defaultBranch, named) };
  }
  return { found: true, latest: branch ? item : (meta.latest ?? null) };
}

function specFor(kind: Kind, latest: LatestRun | null): BadgeSpec {
  if (kind === 'status') {
    return statusBadge(latest ? { status: checkStatus(latest.state), conclusion: latest.conclusion } : null);
  }
  return smokeBadge(latest?.smoke ? { passed: latest.smoke.passed, total: latest.smoke.total - latest.smoke.skipped } : null);
}

export function badgeRoutes(deps: HttpDeps): Hono {
  const route = new Hono();
  // Camo (GitHub's image proxy) honours no-cache + ETag: README badges refresh, unchanged ones cost a 304.
  route.use('*', etag());
  route.use('*', boundedQuery);
  route.get('/:owner/:repo/:file{(status|smoke)\\.(svg|json)}', async (c) => {
    const { owner, repo, file } = c.req.param();
    const [kind, format] = file.split('.') as [Kind, 'svg' | 'json'];
    const fullName = repoName(owner, repo);
    let result;
    try {
      // A name no repository can have is unknown without a read.
      result = fullName
        ? await findLatest(deps, fullName, c.req.query('branch') || undefined, c.req.query('token'), c.req.query('target') || undefined)
        : { found: false as const };
    } catch (err) {
      deps.log.error('badge: store unavailable', { repo: fullName, error: err });
      return c.text('store unavailable', 503, { 'Cache-Control': 'no-cache' });
    }
    c.header('Cache-Control', 'no-cache');
    if (!result.found) return c.text('Not Found', 404);
    const spec = specFor(kind, result.latest);
    if (format === 'json') return c.json(shieldsEndpoint(spec));
    return c.body(renderBadgeSvg(spec), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });
  return route;
}
