import { Hono } from 'hono';
import type { HttpDeps } from './deps';
import { finish } from './finish';
import { healthRoute } from './health';
import { addWebRoutes } from './web-app';
import { webhookRoute } from './webhook-route';
import { sdkWebhookStore } from './webhook-store';

/**
 * Every route in one app, as the local server and the tests serve it. On AWS the same routes
 * deploy as two functions (webhook-app.ts and web-app.ts) so the webhook path stays small.
 * GitHub's webhook settings, README badges and bookmarks hold these paths: keep them stable.
 */
export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono().route('/api/github/webhooks', webhookRoute({ ...deps, intake: sdkWebhookStore(deps.store) })).route('/healthz', healthRoute(deps));
  return finish(addWebRoutes(app, deps), deps);
}
