import { Hono } from 'hono';
import type { HttpDeps } from './deps';
import { finish } from './finish';
import { healthRoute } from './health';
import { webhookRoute } from './webhook-route';

/** The webhook intake alone (the ingest Lambda): small and fast — verify, de-duplicate, enqueue. */
export function createWebhookApp(deps: HttpDeps): Hono {
  return finish(new Hono().route('/api/github/webhooks', webhookRoute(deps)).route('/healthz', healthRoute(deps)), deps);
}
