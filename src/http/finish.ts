import type { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { HttpDeps } from './deps';

/** The same 404 and error answers on every app. */
export function finish(app: Hono, deps: Pick<HttpDeps, 'log'>): Hono {
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    // Unanticipated: log it with the request, answer without internals.
    deps.log.error('unhandled error', { method: c.req.method, path: c.req.path, error: err });
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
