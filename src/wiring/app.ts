import { createHttpApp } from '../http/app';
import type { Logger } from '../log';
import type { Queue } from '../queue/queue';
import type { StoreContext } from '../store/dynamo';

/** The HTTP app as the local server, the ingest Lambda and the tests build it. */
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
