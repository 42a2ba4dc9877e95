import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';
import { DEFAULT_TARGET } from '../core/default-target';
import { refName } from '../store/keys';
import { fleetView, getFleet } from '../store/runners';
import { clip } from '../core/text';
import { namedTarget } from '../store/repos';
import { repoStats } from '../store/stats';
import { recentRuns } from '../store/test-history-codec';
import { getStanding, refTests, type RefTest } from '../store/test-standing';
import { cursorsOf, fits, scopes } from './cursors';
import type { HttpDeps } from './deps';
import { boundedQuery, isDispatchId, runFilterOf } from './inputs';
import { homeView, limitOf, runnersView, runsPage, runView } from './pages/view-models';
import { visibleRepo } from './visibility';
import { compareView } from './pages/compare-view';
import { repoPageViews } from './pages/repo-page-views';

/** Caches may keep an answer but must ask again each time (with its ETag) before using it. */
const revalidate: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.ok) c.res.headers.set('Cache-Control', 'no-cache');
};

/** The JSON behind the pages, cursor-paginated, so scripts read what people see. */
export function apiRoutes(deps: HttpDeps): Hono {
  const api = new Hono();
  // Not `*`: mounted under /api, that would also reach the webhook route.
  api.use('/repos', boundedQuery);
  api.use('/repos/*', boundedQuery);
  api.use('/runners', boundedQuery);
  // ETags (a hash of the body): the dashboard script polls with If-None-Match and gets a bodiless
  // 304 until something changes. Only successful answers get one, so a 404 stays a 404.
  for (const path of ['/repos', '/repos/*', '/runners']) api.use(path, revalidate, etag());

  /** A repository's runs as asked: the filter (a bad value is a 400 naming it, before any lookup), the repository if visible, the page. */
  const filteredRepo = async (c: Context) => {
    const filter = runFilterOf(c.req.query());
    if (!filter.ok) return { status: 400 as const, error: filter.error };
    const token = c.req.query('token') ?? null;
    const meta = await visibleRepo(deps, `${c.req.param('owner')}/${c.req.param('repo')}`, token ?? undefined);
    if (!meta) return { status: 404 as const, error: 'not found' };
    return { filter: filter.filter, token, meta, paging: { limit: limitOf(c.req.query('limit')), cursor: c.req.query('cursor') } };
  };

  // The dashboard's pages and these routes share one view model each (pages/view-models/).
  api.get('/repos', async (c) => {
    return c.json(await homeView(deps, { limit: limitOf(c.req.query('limit')), cursor: c.req.query('cursor') }));
  });

  // Both take the run filters (?branch=&pr=&status=&target=&author=, core/run-filter.ts); a bad
  // value is a 400 naming it, before the repository is looked up.
  api.get('/repos/:owner/:repo', async (c) => {
    const asked = await filteredRepo(c);
    if ('status' in asked) return c.json({ error: asked.error }, asked.status);
    const { filter, token, meta, paging } = asked;
    const { view, targets, artifacts: artifactSizes } = await repoPageViews(deps, meta, { token, url: c.req.url }, paging, filter);
    // `targets`: the named targets side by side (absent for a repository without `targets:`);
    // `artifactSizes`: each artifact's size over the default branch's runs.
    return c.json({ ...view, ...(targets ? { targets } : {}), artifactSizes });
  });

  api.get('/repos/:owner/:repo/runs', async (c) => {
    const asked = await filteredRepo(c);
    if ('status' in asked) return c.json({ error: asked.error }, asked.status);
    const { filter, token, meta, paging } = asked;
    const page = await runsPage(deps, meta, meta.private ? token : null, paging, filter);
    return c.json({ repo: meta.repo, ...page });
  });

  // One run: its jobs, smoke results and a page of its tests (failing first; `cursor` pages the tests).
  api.get('/repos/:owner/:repo/runs/:id', async (c) => {
    const token = c.req.query('token') ?? null;
    const meta = await visibleRepo(deps, `${c.req.param('owner')}/${c.req.param('repo')}`, token ?? undefined);
    const view = meta && isDispatchId(c.req.param('id'))
      ? await runView(deps, meta, c.req.param('id'), token, { limit: limitOf(c.req.query('limit'), 100), cursor: c.req.query('cursor') })
      : null;
    if (!view) return c.json({ error: 'not found' }, 404);
    return c.json(view);
  });

  // An arm64 run against the baseline run it was compared with: the same data as the compare page,
  // plus every test as a row (`tests`, one-sided failures first; `cursor` pages them).
  api.get('/repos/:owner/:repo/runs/:id/compare', async (c) => {
    const token = c.req.query('token') ?? null;
    const meta = await visibleRepo(deps, `${c.req.param('owner')}/${c.req.param('repo')}`, token ?? undefined);
    const paging = { limit: limitOf(c.req.query('limit'), 100), cursor: c.req.query('cursor') };
    const view = meta && isDispatchId(c.req.param('id')) ? await compareView(deps, meta, c.req.param('id'), meta.private ? token : null, paging) : null;
    if (!view) return c.json({ error: 'not found' }, 404);
    return c.json(view);
  });

  // Each test's recent pass rate and flakiness on a branch (default: the default branch) or a pull
  // request (?pr=), most recently run first; with named targets, of one target (?target=, default:
  // the one the plain badge shows).
  api.get('/repos/:owner/:repo/tests', async (c) => {
    const meta = await visibleRepo(deps, `${c.req.param('owner')}/${c.req.param('repo')}`, c.req.query('token'));
    if (!meta) return c.json({ error: 'not found' }, 404);
    const prText = c.req.query('pr');
    const pr = prText === undefined ? null : /^\d{1,10}$/.test(prText) ? Number(prText) : NaN;
    if (pr !== null && !(Number.isSafeInteger(pr) && pr > 0)) return c.json({ error: 'pr must be a pull request number' }, 400);
    const asked = c.req.query('target');
    let target = meta.targets?.badge ?? null;
    if (asked !== undefined) {
      // Without `targets:` the one target is `default`, under the plain refs.
      const named = meta.targets ? namedTarget(meta.targets, asked) : asked.toLowerCase() === DEFAULT_TARGET ? null : undefined;
      if (named === undefined) {
        const names = meta.targets?.names ?? [DEFAULT_TARGET];
        return c.json({ error: `there is no target ${JSON.stringify(clip(asked, 64))}: this repository's targets are ${names.join(', ')}` }, 400);
      }
      target = named;
    }
    const branch = pr ? null : c.req.query('branch') || meta.defaultBranch;
    const ref = refName({ branch, pr, target });
    const cursors = await cursorsOf(deps);
    const scope = scopes.tests(meta.repo, ref);
    const offset = cursors.open(scope, c.req.query('cursor'), fits.offset) ?? 0;
    const limit = limitOf(c.req.query('limit'));
    // One packed item and its catalog hold every test of the ref: a page is a slice of them.
    const standing = await getStanding(deps.store, { repo: meta.repo, target: target ?? DEFAULT_TARGET, ref }, { consistent: false });
    const all = standing ? refTests(standing) : [];
    const cursor = offset + limit < all.length ? cursors.seal(scope, offset + limit) : null;
    return c.json({ repo: meta.repo, branch, pr, ...(target ? { target } : {}), tests: all.slice(offset, offset + limit).map(publicTest), cursor });
  });

  // The runner pools (docs/FLEET.md): one repository with ?repo=owner/name (private ones with
  // their ?token=), else every public repository, a page of repositories at a time.
  api.get('/runners', async (c) => {
    const one = c.req.query('repo');
    if (one !== undefined) {
      const meta = await visibleRepo(deps, one, c.req.query('token'));
      if (!meta) return c.json({ error: 'not found' }, 404);
      const fleet = await getFleet(deps.store, meta.repo);
      return c.json({ repos: fleet ? [fleetView(fleet)] : [], cursor: null });
    }
    // The /runners page's view model: `repos` (each pool) and `cursor` as above, plus the runners
    // merged across repositories and the queue times the page shows.
    return c.json(await runnersView(deps, { limit: limitOf(c.req.query('limit')), cursor: c.req.query('cursor') }));
  });

  // Queue time (dispatch → job start) and job duration per runner-label set: p50/p90, last 7 days.
  api.get('/repos/:owner/:repo/stats', async (c) => {
    const meta = await visibleRepo(deps, `${c.req.param('owner')}/${c.req.param('repo')}`, c.req.query('token'));
    if (!meta) return c.json({ error: 'not found' }, 404);
    return c.json(await repoStats(deps.store, meta.repo, deps.now()));
  });

  return api;
}

function publicTest(t: RefTest) {
  return {
    id: t.id,
    name: t.name,
    classname: t.classname,
    file: t.file,
    passRate: t.passRate,
    runs: t.runs,
    flaky: t.flaky,
    lastOutcome: t.lastOutcome,
    lastSha: t.lastSha,
    lastRunAt: t.lastAt,
    lastFlakySha: t.lastFlakySha,
    // Newest first; `flaky` marks a run in which the test passed and failed on the same commit.
    recent: recentRuns(t.recent).map((r) => ({ outcome: r.outcome ?? 'unknown', flaky: r.flaky })),
  };
}
