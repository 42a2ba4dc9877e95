import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Child<Ready> {
  proc: ChildProcess;
  ready: Ready;
  /** CPU the child has used so far (user + system, microseconds). */
  cpu(): Promise<NodeJS.CpuUsage>;
  /** Sends a message and waits for the first reply of the same type. */
  ask<T>(msg: { type: string } & Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Runs a bench/child/*.ts script in its own Node process (through tsx) and waits for its
 * `{ type: 'ready' }` message. Children answer `{type:'cpu'}` and `{type:'close'}`.
 */
export async function startChild<Ready extends Record<string, unknown>>(
  script: string,
  env: Record<string, string> = {},
  execArgv: string[] = [],
): Promise<Child<Ready>> {
  const file = fileURLToPath(new URL(`../child/${script}`, import.meta.url));
  const proc = fork(file, [], {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${script} exited with ${code} before it was ready`));
    proc.once('exit', onExit);
    proc.on('message', function onMsg(m: { type?: string } & Ready) {
      if (m?.type !== 'ready') return;
      proc.off('message', onMsg);
      proc.off('exit', onExit);
      resolve(m);
    });
  });
  const ask = <T>(msg: { type: string } & Record<string, unknown>) =>
    new Promise<T>((resolve, reject) => {
      const onExit = () => reject(new Error(`${script} exited while asked ${msg.type}`));
      proc.once('exit', onExit);
      proc.on('message', function onMsg(m: { type?: string }) {
        if (m?.type !== msg.type) return;
        proc.off('message', onMsg);
        proc.off('exit', onExit);
        resolve(m as T);
      });
      proc.send(msg);
    });
  return {
    proc,
    ready,
    ask,
    cpu: () => ask<{ usage: NodeJS.CpuUsage }>({ type: 'cpu' }).then((m) => m.usage),
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        const t = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        proc.send({ type: 'close' });
      }),
  };
}

export const startDynamoChild = (path?: string) =>
  startChild<{ type: 'ready'; endpoint: string }>('dynalite.ts', path ? { BENCH_DYNALITE_PATH: path } : {});
