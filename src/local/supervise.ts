import { startLocal, type LocalOptions, type LocalServer, type RegisteredEnv } from './server';

export interface Supervised {
  /** The server running now. */
  readonly current: LocalServer;
  /** Resolves with the next server once a registration has restarted it (in GitHub mode). */
  nextStart(): Promise<LocalServer>;
  close(): Promise<void>;
}

/**
 * `npm start`'s process: the local server, restarted in place (same port) with the registered
 * App's values once the manifest flow has written them to .env.
 */
export async function superviseLocal(opts: LocalOptions = {}): Promise<Supervised> {
  let env: Record<string, string | undefined> = { ...(opts.env ?? process.env) };
  let waiters: ((s: LocalServer) => void)[] = [];
  let restarting: Promise<void> = Promise.resolve();
  const onRegistered = (values: RegisteredEnv) => {
    restarting = restarting.then(async () => {
      const port = new URL(sup.current.url).port;
      await sup.current.close();
      // The registered values win over the environment the sandbox ran with.
      env = { ...env, ...values, PORT: port };
      sup.current = await startLocal({ ...opts, env, onRegistered });
      const ready = waiters;
      waiters = [];
      for (const w of ready) w(sup.current);
    });
  };
  const sup = {
    current: await startLocal({ ...opts, env, onRegistered }),
    nextStart: () => new Promise<LocalServer>((resolve) => waiters.push(resolve)),
    close: async () => {
      await restarting;
      await sup.current.close();
    },
  };
  return sup;
}
