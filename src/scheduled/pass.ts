import type { GitHubClients } from '../github/client';
import type { Logger } from '../log';
import type { StoreContext } from '../store/dynamo';
import type { ParseSmokeArtifact } from '../worker/deps';

/** What every scheduled pass is given: the Lambda's environment, or the local server's. */
export interface ScheduledDeps {
  store: StoreContext;
  github: Pick<GitHubClients, 'app' | 'forInstallation'>;
  log: Logger;
  now: () => Date;
  /** Base of links in check runs the passes re-render (the reconciler); as the worker's. */
  publicUrl?: string | null;
  /** As the worker's: the reconciler collects the results of runs whose completion was missed. Default inline. */
  parseSmokeArtifact?: ParseSmokeArtifact;
}

/**
 * One independent piece of the scheduled function's work. Each must be safe to run concurrently
 * with itself (two ticks can overlap) and bounded in time.
 */
export interface ScheduledPass {
  name: string;
  /** Returns a summary for the logs; throws when it could not do its work (the next tick tries again). */
  run(deps: ScheduledDeps): Promise<Record<string, unknown>>;
}
