import { monotonicFactory } from 'ulid';
import { createGitHubClients, type GitHubClientOptions } from './github/client';
import { createHttpApp } from './http/app';
import type { Logger } from './log';
import type { Queue, QueueMessage } from './queue/queue';
import type { StoreContext } from './store/dynamo';
import type { WorkerDeps } from './worker/deps';
import { processMessage } from './worker/process';

/**
 * Wires the parts the same way everywhere: the local server, the Lambda handlers and the tests
 * all build their app and worker here, so no path is exercised only in one of them.
 */
export function createWorker(opts: {
  store: StoreContext;
  github: GitHubClientOptions;
  log: Logger;
  publicUrl: string;
  now?: () => Date;
  newId?: () => string;
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
  };
  return { deps, process: (msg: QueueMessage) => processMessage(deps, msg) };
}

export function createApp(opts: {
  store: StoreContext;
  queue: Queue;
  log: Logger;
  webhookSecret: string | (() => Promise<string>);
  badgeSecret?: string | null | (() => Promise<string | null>);
  publicUrl?: string | null;
  now?: () => Date;
}) {
  const lift = <T>(v: T | (() => Promise<T>)) => (typeof v === 'function' ? (v as () => Promise<T>) : () => Promise.resolve(v));
  return createHttpApp({
    store: opts.store,
    queue: opts.queue,
    log: opts.log,
    webhookSecret: lift(opts.webhookSecret),
    badgeSecret: lift(opts.badgeSecret ?? null),
    publicUrl: opts.publicUrl ?? null,
    now: opts.now ?? (() => new Date()),
  });
}
