import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Hono } from 'hono';
import type { HttpDeps } from './deps';
import { healthCheckRoute } from './health-check';

/** `/healthz` of the web function and the local server: one read of the store through the SDK. */
export const healthRoute = (deps: Pick<HttpDeps, 'log' | 'store'>): Hono =>
  healthCheckRoute(deps.log, () => deps.store.doc.send(new GetCommand({ TableName: deps.store.table, Key: { pk: 'HEALTH', sk: 'HEALTH' } })));
