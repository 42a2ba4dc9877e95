import { App } from '@octokit/app';
import { Octokit as OctokitCore } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import type { Logger } from '../log';

/** Every GitHub call goes through retry (5xx, network) and throttling (primary and secondary rate limits). */
export const GitHubOctokit = OctokitCore.plugin(retry, throttling);
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
}

export interface GitHubClients {
  app: App;
  /** Installation-authenticated client; tokens are minted on first use and cached until they expire. */
  forInstallation(installationId: number): Promise<GitHub>;
}

export function createGitHubClients(opts: GitHubClientOptions): GitHubClients {
  const log = opts.log.child({ component: 'github' });
  const rateLimitRetries = opts.rateLimitRetries ?? 2;
  const onLimit = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
    log.warn(`GitHub ${kind} rate limit`, { method: options.method, url: options.url, retryAfter, retryCount });
    return retryCount < rateLimitRetries;
  };
  const Octokit = GitHubOctokit.defaults({
    baseUrl: opts.baseUrl,
    userAgent: 'arm64-ci-coordinator',
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
  // One client per installation keeps the throttling state and the token cache warm across events.
  const clients = new Map<number, Promise<GitHub>>();
  return {
    app,
    forInstallation(installationId) {
      let c = clients.get(installationId);
      if (!c) {
        c = app.getInstallationOctokit(installationId) as Promise<GitHub>;
        c.catch(() => clients.delete(installationId));
        clients.set(installationId, c);
      }
      return c;
    },
  };
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
  return m.length > 500 ? m.slice(0, 500) + '…' : m;
}
