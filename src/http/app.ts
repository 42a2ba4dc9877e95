import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { apiRoutes } from './api';
import { badgeRoutes } from './badges';
import type { HttpDeps } from './deps';
import { healthRoute } from './health';
import { pageRoutes } from './pages';
import { webhookRoute } from './webhook-route';

/**
 * The one HTTP app: the local server serves it with @hono/node-server, Lambda with hono's
 * aws-lambda adapter. Routes are the contract's (shared/CONTRACT.md, "HTTP routes").
 */
export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono();
  app.route('/api/github/webhooks', webhookRoute(deps));
  app.route('/badges', badgeRoutes(deps));
  app.route('/healthz', healthRoute(deps));
  app.route('/api', apiRoutes(deps));
  app.route('/', pageRoutes(deps));
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    // Unanticipated: log it with the request, answer without internals.
    deps.log.error('unhandled error', { method: c.req.method, path: c.req.path, error: err });
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
