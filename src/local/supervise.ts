import { startLocal, type LocalOptions, type LocalServer, type RegisteredEnv } from './server';

export interface Supervised {
  /** The server running now. */
  readonly current: LocalServer;
  /**
   * Resolves with the server of the next restart (a registration restarts it in GitHub mode): the
   * first call with the first restart's, the second with the second's, even if it already happened.
   */
  nextStart(): Promise<LocalServer>;
  close(): Promise<void>;
}

/**
 * `npm start`'s process: the local server, restarted in place (same port) with the registered
 * App's values once the manifest flow has written them to .env.
 */
export async function superviseLocal(opts: LocalOptions = {}): Promise<Supervised> {
  let env: Record<string, string | undefined> = { ...(opts.env ?? process.env) };
  // One promise per restart, in order; `nextStart` hands them out one by one.
  const restarts: { promise: Promise<LocalServer>; resolve: (s: LocalServer) => void; reject: (e: unknown) => void }[] = [];
  const restart = (i: number) => {
    while (restarts.length <= i) {
      let resolve!: (s: LocalServer) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<LocalServer>((res, rej) => ((resolve = res), (reject = rej)));
      restarts.push({ promise, resolve, reject });
    }
    return restarts[i]!;
  };
  let done = 0;
  let handedOut = 0;
  let restarting: Promise<void> = Promise.resolve();
  const onRegistered = (values: RegisteredEnv) => {
    restarting = restarting.then(async () => {
      const port = new URL(sup.current.url).port;
      await sup.current.close();
      // The registered values win over the environment the sandbox ran with.
      env = { ...env, ...values, PORT: port };
      try {
        sup.current = await startLocal({ ...opts, env, onRegistered });
        restart(done++).resolve(sup.current);
      } catch (err) {
        // e.g. a SettingsError from the written values: nextStart() says so.
        restart(done++).reject(err);
      }
    });
  };
  const sup = {
    current: await startLocal({ ...opts, env, onRegistered }),
    nextStart: () => restart(handedOut++).promise,
    close: async () => {
      await restarting;
      await sup.current.close();
    },
  };
  return sup;
}
