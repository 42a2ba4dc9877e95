import { Hono } from 'hono';
import type { Logger } from '../log';

/** 200 when the store answers: what a load balancer or a person checking the deployment wants to know. */
export function healthCheckRoute(log: Logger, ping: () => Promise<unknown>): Hono {
  const route = new Hono();
  route.get('/', async (c) => {
    try {
      await ping();
      return c.json({ ok: true });
    } catch (err) {
      log.warn('health: store unavailable', { error: err });
      return c.json({ ok: false, error: 'store unavailable' }, 503);
    }
  });
  return route;
}
