import type { GitHubClients } from '../github/client';
import type { AppRequester } from '../github/deliveries';
import type { Logger } from '../log';
import type { StoreContext } from '../store/dynamo';
import { monotonicFactory } from 'ulid';
import { readSmokeArtifact } from '../core/smoke/artifact';
import type { ParseSmokeArtifact } from '../worker/deps';
import { reconcile, type ReconcileOptions } from '../worker/reconciler';
import { redeliverFailed, type RedeliveryOptions } from '../worker/redelivery';

/**
 * The scheduled function's work, as a list of independent passes: every 5 minutes on AWS
 * (EventBridge → src/handlers/scheduled.ts), every minute in the local server. Each pass must be
 * safe to run concurrently with itself (two ticks can overlap) and bounded in time.
 */

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

export interface ScheduledPass {
  name: string;
  /** Returns a summary for the logs; throws when it could not do its work (the next tick tries again). */
  run(deps: ScheduledDeps): Promise<Record<string, unknown>>;
}

export interface PassOutcome {
  name: string;
  ok: boolean;
  ms: number;
  result?: Record<string, unknown>;
  error?: string;
}

/** Re-sends webhook deliveries GitHub logged as failed (src/worker/redelivery.ts). */
export function redeliveryPass(options: Partial<RedeliveryOptions> = {}): ScheduledPass {
  return {
    name: 'redelivery',
    run: async (deps) => {
      const r = await redeliverFailed(
        { store: deps.store, app: deps.github.app.octokit as unknown as AppRequester, log: deps.log, now: deps.now },
        options,
      );
      return { ...r };
    },
  };
}

/**
 * Finishes or explains dispatches whose events never came: lost dispatches, hung runs, missed
 * `completed` events (src/worker/reconciler.ts). After redelivery, which may make it unnecessary.
 */
export function reconcilePass(options: Partial<ReconcileOptions> = {}): ScheduledPass {
  const ulid = monotonicFactory();
  return {
    name: 'reconcile',
    run: async (deps) => {
      const r = await reconcile(
        {
          store: deps.store,
          github: deps.github,
          log: deps.log,
          now: deps.now,
          newId: () => ulid(deps.now().getTime()),
          publicUrl: deps.publicUrl ?? '',
          parseSmokeArtifact: deps.parseSmokeArtifact ?? (async (zip) => readSmokeArtifact(zip)),
        },
        options,
      );
      return { ...r };
    },
  };
}

/** The passes every tick runs, in order. */
export function defaultPasses(): ScheduledPass[] {
  return [redeliveryPass(), reconcilePass()];
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
