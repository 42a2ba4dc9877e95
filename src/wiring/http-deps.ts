import type { HttpDeps } from '../http/deps';
import type { Logger } from '../log';
import type { Queue } from '../queue/queue';
import type { StoreContext } from '../store/dynamo';

export interface AppOptions {
  store: StoreContext;
  queue: Queue;
  log: Logger;
  webhookSecret: string | (() => Promise<string>);
  badgeSecret?: string | null | (() => Promise<string | null>);
  /** Seals pagination cursors; default: a random key per process (fine for one process, not for several). */
  cursorSecret?: string | null | (() => Promise<string | null>);
  publicUrl?: string | null;
  now?: () => Date;
  /** Sandbox mode only: the home page offers to register the GitHub App (HttpDeps.setup). */
  setup?: { web: string; needsChannel: boolean } | null;
  /** Sandbox mode of the local server (HttpDeps.sandbox). */
  sandbox?: boolean;
}

const lift = <T>(v: T | (() => Promise<T>)) => (typeof v === 'function' ? (v as () => Promise<T>) : () => Promise.resolve(v));

export function httpDeps(opts: AppOptions): HttpDeps {
  return {
    store: opts.store,
    queue: opts.queue,
    log: opts.log,
    webhookSecret: lift(opts.webhookSecret),
    badgeSecret: lift(opts.badgeSecret ?? null),
    cursorSecret: lift(opts.cursorSecret ?? null),
    publicUrl: opts.publicUrl ?? null,
    now: opts.now ?? (() => new Date()),
    setup: opts.setup ?? null,
    ...(opts.sandbox ? { sandbox: true } : {}),
  };
}
