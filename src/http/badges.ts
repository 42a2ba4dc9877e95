import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { renderBadgeSvg, shieldsEndpoint, smokeBadge, statusBadge, type BadgeSpec } from '../core/badge';
import { checkStatus } from '../core/check-status';
import { getLatest, getRepo, type LatestRun } from '../store/repos';
import { isValidBadgeToken } from './badge-token';
import type { HttpDeps } from './deps';

type Kind = 'status' | 'smoke';

/**
 * The newest run of a branch in as few reads as possible: the repository item carries a copy of
 * the default branch's latest run, so the usual README badge is one GetItem.
 * Private repositories without a valid token look exactly like unknown ones.
 */
async function findLatest(
  deps: HttpDeps,
  repo: string,
  branch: string | undefined,
  token: string | undefined,
): Promise<{ found: false } | { found: true; latest: LatestRun | null }> {
  let priv: boolean;
  let latest: LatestRun | null;
  if (branch) {
    const item = await getLatest(deps.store, repo, branch);
    if (item) {
      priv = item.private;
      latest = item;
    } else {
      const meta = await getRepo(deps.store, repo);
      if (!meta) return { found: false };
      priv = meta.private;
      latest = null;
    }
  } else {
    const meta = await getRepo(deps.store, repo);
    if (!meta) return { found: false };
    priv = meta.private;
    latest = meta.latest ?? null;
  }
  if (priv && !isValidBadgeToken(await deps.badgeSecret(), repo, token)) return { found: false };
  return { found: true, latest };
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
  route.get('/:owner/:repo/:file{(status|smoke)\\.(svg|json)}', async (c) => {
    const { owner, repo, file } = c.req.param();
    const [kind, format] = file.split('.') as [Kind, 'svg' | 'json'];
    const fullName = `${owner}/${repo}`;
    let result;
    try {
      result = await findLatest(deps, fullName, c.req.query('branch') || undefined, c.req.query('token'));
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
