/**
 * The stand-in's answers, one handler per GitHub operationId, grouped by resource. The request has
 * already been validated against the OpenAPI description and authenticated when a handler runs.
 */
import { actionsRoutes } from './actions';
import { appsRoutes } from './apps';
import { checksRoutes } from './checks';
import { issuesRoutes } from './issues';
import { reposRoutes } from './repos';
import type { Handler } from './context';

export { HttpError } from './context';
export type { Handler, Reply, RouteContext, RouteEnv } from './context';
export { matchesCreated, renderRunName } from './actions';

export const handlers: Record<string, Handler> = {
  ...appsRoutes,
  ...reposRoutes,
  ...checksRoutes,
  ...actionsRoutes,
  ...issuesRoutes,
};
