// Lambda: every 5 minutes (EventBridge, no async retries) — the scheduled passes: redelivery of
// failed webhook deliveries (src/redelivery/), then the reconciler of stale runs (src/reconcile/).
import { createGitHubClients } from '../github/client';
import type { ScheduledDeps } from '../scheduled/pass';
import { runPasses, type PassOutcome } from '../scheduled/passes';
import { getAppSecrets } from '../secrets/app-secrets';
import { githubApiUrl, githubRateLimitReserve, log, publicUrl, store } from './lambda-env';
import { flushingMetrics } from '../metrics/metrics';

let deps: Promise<ScheduledDeps> | undefined;

// Built on first use: the App's key comes from Secrets Manager, once per cold start.
function getDeps(): Promise<ScheduledDeps> {
  deps ??= getAppSecrets()
    .then((s) => ({
      store,
      log,
      now: () => new Date(),
      publicUrl,
      github: createGitHubClients({ appId: s.appId, privateKey: s.privateKey, baseUrl: githubApiUrl, log, rateLimitReserve: githubRateLimitReserve }),
    }))
    .catch((err: unknown) => {
      deps = undefined;
      throw err;
    });
  return deps;
}

export const handler = flushingMetrics(async (): Promise<{ passes: PassOutcome[] }> => {
  const passes = await runPasses(await getDeps());
  const failed = passes.filter((p) => !p.ok);
  // A failed invocation shows in the function's Errors metric; the next tick tries again.
  if (failed.length > 0) throw new Error(`scheduled passes failed: ${failed.map((p) => `${p.name}: ${p.error}`).join('; ')}`);
  return { passes };
});
