import { App } from '@octokit/app';
import { Octokit as OctokitCore } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { EndpointDefaults, RequestInterface, RequestParameters, Route } from '@octokit/types';
import Bottleneck from 'bottleneck/light.js';
import { clip } from '../core/text';
import { registerSecret, type Logger } from '../log';
import { rateBudgetPlugin } from './rate-budget';

/**
 * POSTs whose answer can be lost after GitHub acted on them, and whose repeat would act twice:
 * plugin-retry resends after a 5xx or a dropped connection, and a resent workflow dispatch starts
 * a second run. These fail at once instead; the queue's retry goes through startRun's
 * resolveInFlight, which first looks for the run the lost request may have created. (Rate-limit
 * answers are still retried by the throttling plugin: GitHub refused those before acting.)
 */
const NOT_BLINDLY_RETRIED = [/^POST \/repos\/[^/]+\/[^/]+\/actions\/workflows\/[^/]+\/dispatches$/];

function noBlindRetry(octokit: OctokitCore): void {
  // Registered after plugin-retry, so it runs first and plugin-retry reads `retries: 0`.
  octokit.hook.before('request', (options) => {
    const path = String(options.url).replace(/^https?:\/\/[^/]+/, '').split('?')[0];
    if (NOT_BLINDLY_RETRIED.some((re) => re.test(`${String(options.method).toUpperCase()} ${path}`))) {
      options.request = { ...options.request, retries: 0 };
    }
  });
}

/**
 * Every GitHub call goes through retry (5xx, network) and throttling (primary and secondary rate
 * limits), and every answer's `x-ratelimit-*` is remembered (./rate-budget.ts).
 */
const GitHubOctokit = OctokitCore.plugin(retry, throttling, noBlindRetry, rateBudgetPlugin);
export type GitHub = InstanceType<typeof GitHubOctokit>;

export interface GitHubClientOptions {
  appId: string;
  privateKey: string;
  baseUrl: string;
  log: Logger;
  /**
   * Gap between content-creating requests (POST/PATCH) per process. GitHub asks integrators to
   * keep one second between them to avoid secondary rate limits; tests and the sandbox use 0.
   */
  writeIntervalMs?: number;
  /** Base of the retry back-off (octokit multiplies it); tests shorten it. */
  retryBaseMs?: number;
  /** How many times a rate-limited request is retried before it fails. */
  rateLimitRetries?: number;
  /**
   * Requests of an installation's hourly budget kept for dispatches and conclusions: below it,
   * progress updates wait (./rate-budget.ts). Default 500; `GITHUB_RATE_LIMIT_RESERVE`.
   */
  rateLimitReserve?: number;
}

export interface GitHubClients {
  /** The App itself: `app.octokit` is authenticated with the App's JWT (`/app/**` routes). */
  app: App;
  /** Installation-authenticated client; tokens are minted on first use, cached, and renewed on a 401. */
  forInstallation(installationId: number): Promise<GitHub>;
}

export function createGitHubClients(opts: GitHubClientOptions): GitHubClients {
  // Redacted wherever it might surface in a log line (an error quoting a request, say).
  registerSecret(opts.privateKey);
  const log = opts.log.child({ component: 'github' });
  const rateLimitRetries = opts.rateLimitRetries ?? 2;
  const onLimit = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
    log.warn(`GitHub ${kind} rate limit`, { method: options.method, url: options.url, retryAfter, retryCount });
    return retryCount < rateLimitRetries;
  };
  const Octokit = GitHubOctokit.defaults({
    baseUrl: opts.baseUrl,
    userAgent: 'arm64-ci-coordinator',
    ...(opts.rateLimitReserve !== undefined ? { rateLimitReserve: opts.rateLimitReserve } : {}),
    retry: { retryAfterBaseValue: opts.retryBaseMs ?? 1000 },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: opts.retryBaseMs ?? 1000,
      write: new Bottleneck.Group({ maxConcurrent: 4, minTime: opts.writeIntervalMs ?? 1000 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 2, minTime: opts.writeIntervalMs ?? 1000 }),
    },
    log: {
      debug: () => {},
      info: () => {},
      warn: (msg: string) => log.warn(msg),
      error: (msg: string) => log.error(msg),
    },
  });
  const app = new App({ appId: opts.appId, privateKey: opts.privateKey, Octokit });
  // One client per installation keeps the throttling state warm across events; tokens live in
  // the App's cache (shared by all installations).
  const clients = new Map<number, GitHub>();
  return {
    app,
    async forInstallation(installationId) {
      let c = clients.get(installationId);
      if (!c) {
        c = new Octokit({ authStrategy: renewingInstallationAuth, auth: { app, installationId, log } }) as GitHub;
        clients.set(installationId, c);
      }
      return c;
    },
  };
}

type InstallationToken = { token: string };
type AppAuth = (o: { type: 'installation'; installationId: number; refresh?: boolean }) => Promise<InstallationToken>;

/**
 * Installation auth that survives a token expiring under it. @octokit/auth-app caches a token for
 * 59 minutes of *our* clock and only retries a 401 within 5 s of minting (GitHub's replication
 * delay); when GitHub's clock says the token has expired (clock skew, a suspended-then-resumed
 * process, a revoked token) every request would fail with 401 Bad credentials until the cache
 * entry ages out. Here a 401 on an installation token is answered once by asking auth-app for a
 * fresh one (`refresh: true`, its documented way) and repeating the request with it.
 */
function renewingInstallationAuth(o: { app: App; installationId: number; log: Logger }) {
  const appAuth = o.app.octokit.auth as unknown as AppAuth;
  const token = (refresh = false) => appAuth({ type: 'installation', installationId: o.installationId, ...(refresh ? { refresh } : {}) });
  const hook = async (request: RequestInterface, route: Route | EndpointDefaults, parameters?: RequestParameters) => {
    const endpoint = request.endpoint.merge(route as string, parameters);
    const used = (await token()).token;
    registerSecret(used);
    endpoint.headers.authorization = `token ${used}`;
    try {
      return await request(endpoint as never);
    } catch (err) {
      if (httpStatus(err) !== 401) throw err;
      // Another request may have renewed it meanwhile: mint only when the cache still holds ours.
      const cached = (await token()).token;
      const fresh = cached !== used ? cached : (await token(true)).token;
      registerSecret(fresh);
      o.log.warn('installation token refused (401): renewed and retrying once', {
        installationId: o.installationId,
        method: endpoint.method,
        url: endpoint.url,
        minted: fresh !== cached,
      });
      endpoint.headers.authorization = `token ${fresh}`;
      return request(endpoint as never);
    }
  };
  return Object.assign((opts?: { refresh?: boolean }) => token(opts?.refresh === true), { hook });
}

/** HTTP status of an Octokit RequestError, or null for anything else (network, bugs). */
export function httpStatus(err: unknown): number | null {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : null;
}

/** The message GitHub gave with an error response, for check-run summaries and replies. */
export function githubMessage(err: unknown): string {
  const e = err as { response?: { data?: { message?: string; errors?: unknown } }; message?: string };
  const m = e.response?.data?.message ?? e.message ?? String(err);
  return clip(m, 501);
}
