import { monotonicFactory } from 'ulid';
import { readSmokeArtifact } from '../core/smoke/artifact';
import type { ScheduledPass } from '../scheduled/pass';
import { reconcile, type ReconcileOptions } from './reconciler';

/**
 * Finishes or explains dispatches whose events never came: lost dispatches, hung runs, missed
 * `completed` events (reconciler.ts). After redelivery, which may make it unnecessary.
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
