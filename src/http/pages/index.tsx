import { Hono, type Context } from 'hono';
import type { HttpDeps } from '../deps';
import { boundedQuery, isDispatchId, runFilterOf } from '../inputs';
import { visibleRepo } from '../visibility';
import { CLIENT_SCRIPT } from './client-script';
import { HomePage } from './home';
import { BadFilter, DASHBOARD_SCRIPT_PATH, NotFound, pageHeaders, type Live } from './layout';
import { RepoPage } from './repo';
import { RunPage } from './run';
import { ComparePage } from './compare';
import { compareView } from './compare-view';
import { repoPageViews } from './repo-page-views';
import { RunnersPage } from './runners';
import { homeView, limitOf, runnersView, runView } from './view-models';

/**
 * How often a page asks whether anything changed (a 304 when nothing did). A run in flight is
 * watched closely: a job starting shows within seconds.
 */
const POLL_MS = { run: 3_000, repo: 10_000, home: 30_000, runners: 30_000 };
/** A run's results are stored just after it completes: keep watching a little past the end. */
const AFTER_COMPLETION_MS = 2 * 60_000;

/** The JSON route that serves the same view model as this page, with the page's own query (token, cursor, filters). */
const apiOf = (c: Context, path: string) => `/api${path}${new URL(c.req.url).search}`;

/**
 * Server-rendered dashboard pages: the target of every check run's "Details" link. Each page is
 * drawn from the same view model as its JSON route in ../api.ts, which the dashboard script polls
 * (with ETags) to redraw the page while runs are in flight.
 */
export function pageRoutes(deps: HttpDeps): Hono {
  const pages = new Hono();

  // The one script pages load (client-script.ts): same origin, so the CSP names it with 'self'.
  pages.get(DASHBOARD_SCRIPT_PATH, (c) =>
    c.body(CLIENT_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    }),
  );

  pages.get('/', pageHeaders, boundedQuery, async (c) => {
    const view = await homeView(deps, { cursor: c.req.query('cursor'), limit: limitOf(c.req.query('limit')) });
    const live: Live = { url: apiOf(c, '/repos'), everyMs: POLL_MS.home };
    return c.html(
      <HomePage repos={view.repos} cursor={view.cursor} now={deps.now()} live={live} setup={deps.setup} sandbox={deps.sandbox ?? false} />,
    );
  });

  pages.get('/runners', pageHeaders, boundedQuery, async (c) => {
    const view = await runnersView(deps, { cursor: c.req.query('cursor'), limit: limitOf(c.req.query('limit')) });
    return c.html(<RunnersPage view={view} now={deps.now()} live={{ url: apiOf(c, '/runners'), everyMs: POLL_MS.runners }} />);
  });

  pages.get('/repos/:owner/:repo', pageHeaders, boundedQuery, async (c) => {
    // Filters are checked before the repository is looked up: the same 400 for any repository.
    const filter = runFilterOf(c.req.query());
    if (!filter.ok) return c.html(<BadFilter message={filter.error} back={c.req.path} />, 400);
    const repo = `${c.req.param('owner')}/${c.req.param('repo')}`;
    const token = c.req.query('token') ?? null;
    const meta = await visibleRepo(deps, repo, token ?? undefined);
    if (!meta) return c.html(<NotFound />, 404);
    const paging = { cursor: c.req.query('cursor'), limit: limitOf(c.req.query('limit')) };
    const { view, targets, artifacts } = await repoPageViews(deps, meta, { token, url: c.req.url }, paging, filter.filter);
    const live: Live = { url: apiOf(c, `${c.req.path}/runs`), everyMs: POLL_MS.repo };
    return c.html(
      <RepoPage
        view={view}
        latest={meta.latest ?? null}
        token={meta.private ? token : null}
        now={deps.now()}
        live={live}
        targets={targets}
        artifacts={artifacts}
      />,
    );
  });

  pages.get('/repos/:owner/:repo/runs/:id', pageHeaders, boundedQuery, async (c) => {
    const repo = `${c.req.param('owner')}/${c.req.param('repo')}`;
    const token = c.req.query('token') ?? null;
    const meta = await visibleRepo(deps, repo, token ?? undefined);
    const view = meta && isDispatchId(c.req.param('id'))
      ? await runView(deps, meta, c.req.param('id'), token, { cursor: c.req.query('cursor'), limit: limitOf(c.req.query('limit'), 100) })
      : null;
    if (!meta || !view) return c.html(<NotFound />, 404);
    const now = deps.now();
    const ended = view.run.completedAt ? Date.parse(view.run.completedAt) : NaN;
    const watching = view.run.state !== 'completed' || (Number.isFinite(ended) && now.getTime() - ended <= AFTER_COMPLETION_MS);
    // A held run waits for a person (/ok-to-test), not a runner: no need to ask as often.
    const every = view.run.state === 'awaiting_approval' ? POLL_MS.repo : POLL_MS.run;
    const live: Live | null = watching ? { url: apiOf(c, c.req.path), everyMs: every } : null;
    return c.html(<RunPage view={view} token={meta.private ? token : null} now={now} live={live} />);
  });

  // An arm64 run against the baseline's (named targets): the diff table and the duration ratios.
  pages.get('/repos/:owner/:repo/runs/:id/compare', pageHeaders, boundedQuery, async (c) => {
    const repo = `${c.req.param('owner')}/${c.req.param('repo')}`;
    const token = c.req.query('token') ?? null;
    const meta = await visibleRepo(deps, repo, token ?? undefined);
    const view = meta && isDispatchId(c.req.param('id')) ? await compareView(deps, meta, c.req.param('id'), meta.private ? token : null) : null;
    if (!meta || !view) return c.html(<NotFound />, 404);
    return c.html(<ComparePage view={view} />);
  });

  return pages;
}
