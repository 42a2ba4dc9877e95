import { reconcilePass } from '../reconcile/pass';
import { redeliveryPass } from '../redelivery/pass';
import { installedReposPass } from './installed-pass';
import type { ScheduledDeps, ScheduledPass } from './pass';

/**
 * The scheduled function's work, as a list of independent passes (pass.ts): every 5 minutes on
 * AWS (EventBridge → src/handlers/scheduled.ts), every minute in the local server.
 */

export interface PassOutcome {
  name: string;
  ok: boolean;
  ms: number;
  result?: Record<string, unknown>;
  error?: string;
}

/**
 * The passes every tick runs, in order: redelivery first, which may leave the reconciler less to
 * do; then the count of installed repositories for the metrics.
 */
function defaultPasses(): ScheduledPass[] {
  return [redeliveryPass(), reconcilePass(), installedReposPass()];
}

/** Runs each pass once, in order; one failing does not stop the others. */
export async function runPasses(deps: ScheduledDeps, passes: ScheduledPass[] = defaultPasses()): Promise<PassOutcome[]> {
  const outcomes: PassOutcome[] = [];
  for (const pass of passes) {
    const started = performance.now();
    const log = deps.log.child({ pass: pass.name });
    try {
      const result = await pass.run({ ...deps, log });
      outcomes.push({ name: pass.name, ok: true, ms: Math.round(performance.now() - started), result });
    } catch (err) {
      log.error('scheduled pass failed', { error: err });
      outcomes.push({ name: pass.name, ok: false, ms: Math.round(performance.now() - started), error: (err as Error)?.message ?? String(err) });
    }
  }
  return outcomes;
}

export interface Schedule {
  /** Runs the passes now (waits for a tick already running, then runs again). */
  runNow(): Promise<PassOutcome[]>;
  stop(): Promise<void>;
}

/**
 * Runs the passes every `everyMs` (0: never) in this process (the local server). A tick that finds the
 * previous one still running is skipped; the timer never keeps the process alive.
 */
export function schedulePasses(deps: ScheduledDeps, everyMs: number, passes: ScheduledPass[] = defaultPasses()): Schedule {
  let running: Promise<PassOutcome[]> | null = null;
  let stopped = false;
  const start = () => {
    const p = runPasses(deps, passes).finally(() => {
      if (running === p) running = null;
    });
    running = p;
    return p;
  };
  // 0 (tests) → no timer; runNow() still works.
  const timer =
    everyMs > 0
      ? setInterval(() => {
          if (!running && !stopped) void start();
        }, everyMs)
      : null;
  timer?.unref();
  return {
    async runNow() {
      // A loop, not an if: several callers may be waiting for the same tick to end.
      while (running) await running.catch(() => undefined);
      return start();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (running) await running.catch(() => undefined);
    },
  };
}
