import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import type { HttpDeps } from './deps';

/** 200 when the store answers: what a load balancer or a person checking the deployment wants to know. */
export function healthRoute(deps: HttpDeps): Hono {
  const route = new Hono();
  route.get('/', async (c) => {
    try {
      await deps.store.doc.send(new GetCommand({ TableName: deps.store.table, Key: { pk: 'HEALTH', sk: 'HEALTH' } }));
      return c.json({ ok: true });
    } catch (err) {
      deps.log.warn('health: store unavailable', { error: err });
      return c.json({ ok: false, error: 'store unavailable' }, 503);
    }
  });
  return route;
}
