import { Hono } from 'hono';
import { finish } from './finish';
import { healthCheckRoute } from './health-check';
import { webhookRoute, type WebhookDeps } from './webhook-route';

/** The webhook intake alone (the ingest Lambda): small and fast — verify, de-duplicate, enqueue. */
export function createWebhookApp(deps: WebhookDeps): Hono {
  return finish(new Hono().route('/api/github/webhooks', webhookRoute(deps)).route('/healthz', healthCheckRoute(deps.log, deps.intake.ping)), deps);
}
