import { Hono } from 'hono';
import type { HttpDeps } from '../deps';
import { boundedQuery, isDispatchId } from '../inputs';
import { visibleRepo } from '../visibility';
import { HomePage } from './home';
import { NotFound, pageHeaders } from './layout';
import { RepoPage } from './repo';
import { RunPage } from './run';
import { ComparePage } from './compare';
import { compareView } from './compare-view';
import { targetsView } from './targets-view';
import { artifactSizesView } from './artifact-sizes-view';
import { RunnersPage } from './runners';
import { homeView, limitOf, repoView, runnersView, runView } from './view-models';

/**
 * Server-rendered dashboard pages: the target of every check run's "Details" link. Each page is
 * drawn from the same view model as its JSON route in ../api.ts.
 */
export function pageRoutes(deps: HttpDeps): Hono {
  const pages = new Hono();

  pages.get('/', pageHeaders, boundedQuery, async (c) => {
    const view = await homeView(deps, { cursor: c.req.query('cursor'), limit: limitOf(c.req.query('limit')) });
    return c.html(<HomePage repos={view.repos} cursor={view.cursor} now={deps.now()} setup={deps.setup} sandbox={deps.sandbox ?? false} />);
  });

  pages.get('/runners', pageHeaders, boundedQuery, async (c) => {
    const view = await runnersView(deps, { cursor: c.req.query('cursor'), limit: limitOf(c.req.query('limit')) });
    return c.html(<RunnersPage view={view} now={deps.now()} />);
  });

  pages.get('/repos/:owner/:repo', pageHeaders, boundedQuery, async (c) => {
    const repo = `${c.req.param('owner')}/${c.req.param('repo')}`;
    const token = c.req.query('token') ?? null;
    const meta = await visibleRepo(deps, repo, token ?? undefined);
    if (!meta) return c.html(<NotFound />, 404);
    const [view, targets, artifacts] = await Promise.all([
      repoView(deps, meta, { token, url: c.req.url }, { cursor: c.req.query('cursor'), limit: limitOf(c.req.query('limit')) }),
      targetsView(deps, meta, meta.private ? token : null),
      artifactSizesView(deps, meta),
    ]);
    return c.html(
      <RepoPage view={view} latest={meta.latest ?? null} token={meta.private ? token : null} now={deps.now()} targets={targets} artifacts={artifacts} />,
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
    return c.html(<RunPage view={view} token={meta.private ? token : null} now={deps.now()} />);
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
