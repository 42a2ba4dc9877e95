import type { AppRequester } from '../github/deliveries';
import type { ScheduledPass } from '../scheduled/pass';
import { redeliverFailed, type RedeliveryOptions } from './redeliver-failed';

/** Re-sends webhook deliveries GitHub logged as failed (redeliver-failed.ts). */
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
