import { monotonicFactory } from 'ulid';
import { readSmokeArtifact } from '../core/smoke/artifact';
import { createGitHubClients, type GitHubClientOptions } from '../github/client';
import type { Logger } from '../log';
import type { QueueMessage } from '../queue/queue';
import type { StoreContext } from '../store/dynamo';
import type { ParseSmokeArtifact, WorkerDeps } from '../worker/deps';
import { processMessage } from '../worker/process';

/**
 * Wires the worker the same way everywhere (local server, Lambda, tests), so no path is
 * exercised only in one of them. Kept apart from the HTTP wiring so the ingest bundle does not
 * carry the GitHub client.
 */
export function createWorker(opts: {
  store: StoreContext;
  github: GitHubClientOptions;
  log: Logger;
  publicUrl: string;
  now?: () => Date;
  newId?: () => string;
  /** Default: inline, on this thread (Lambda: one event at a time, nothing else to stall). */
  parseSmokeArtifact?: ParseSmokeArtifact;
}) {
  const now = opts.now ?? (() => new Date());
  const ulid = monotonicFactory();
  const deps: WorkerDeps = {
    store: opts.store,
    github: createGitHubClients(opts.github),
    log: opts.log,
    now,
    newId: opts.newId ?? (() => ulid(now().getTime())),
    publicUrl: opts.publicUrl,
    parseSmokeArtifact: opts.parseSmokeArtifact ?? (async (zip) => readSmokeArtifact(zip)),
  };
  return { deps, process: (msg: QueueMessage) => processMessage(deps, msg) };
}

