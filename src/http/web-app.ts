import { Hono } from 'hono';
import { apiRoutes } from './api';
import { badgeRoutes } from './badges';
import type { HttpDeps } from './deps';
import { finish } from './finish';
import { healthRoute } from './health';
import { pageRoutes } from './pages';

export function addWebRoutes(app: Hono, deps: HttpDeps): Hono {
  return app.route('/badges', badgeRoutes(deps)).route('/api', apiRoutes(deps)).route('/', pageRoutes(deps));
}

/** The read side alone (the web Lambda): badges, dashboard pages and the JSON API. */
export function createWebApp(deps: HttpDeps): Hono {
  return finish(addWebRoutes(new Hono(), deps).route('/healthz', healthRoute(deps)), deps);
}
