/**
 * An installation's primary rate limit as GitHub last reported it. Every answer carries
 * `x-ratelimit-remaining` and `x-ratelimit-reset` (304s included); each client (one per
 * installation, src/github/client.ts) keeps the latest, so the worker can tell, without a request
 * of its own, when the hour's budget is nearly spent and cosmetic updates should wait.
 * https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
import type { Octokit as OctokitCore } from '@octokit/core';
import type { OctokitOptions } from '@octokit/core/types';

/**
 * Requests kept back for what must happen (dispatches, conclusions) when an installation's
 * budget runs low: below it, progress updates of check runs wait. 10 % of the smallest
 * installation limit (5,000 an hour). `GITHUB_RATE_LIMIT_RESERVE` changes it.
 */
const DEFAULT_RATE_LIMIT_RESERVE = 500;

/** `GITHUB_RATE_LIMIT_RESERVE`: a whole number of requests (0 turns deferring off); unset → the default. */
export function rateLimitReserveOf(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_RATE_LIMIT_RESERVE;
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`GITHUB_RATE_LIMIT_RESERVE must be a whole number of requests (0 or more), got "${value}"`);
  }
  return n;
}

export interface RateBudget {
  limit: number;
  remaining: number;
  /** Epoch milliseconds at which GitHub renews the window. */
  resetAt: number;
  reserve: number;
}

const budgets = new WeakMap<object, RateBudget>();

type Headers = Record<string, string | number | undefined>;

/** An Octokit plugin: remember the `core` budget from every answer, successful or not. */
export function rateBudgetPlugin(octokit: OctokitCore, options: OctokitOptions): void {
  const given = (options as { rateLimitReserve?: unknown }).rateLimitReserve;
  const reserve = typeof given === 'number' ? given : DEFAULT_RATE_LIMIT_RESERVE;
  const note = (headers: Headers | undefined) => {
    if (!headers) return;
    const resource = headers['x-ratelimit-resource'];
    if (resource !== undefined && resource !== 'core') return;
    const remaining = Number(headers['x-ratelimit-remaining']);
    const limit = Number(headers['x-ratelimit-limit']);
    const reset = Number(headers['x-ratelimit-reset']);
    if (!Number.isFinite(remaining)) return;
    budgets.set(octokit, {
      remaining,
      limit: Number.isFinite(limit) ? limit : NaN,
      resetAt: Number.isFinite(reset) ? reset * 1000 : NaN,
      reserve,
    });
  };
  octokit.hook.after('request', (response) => note(response.headers as Headers));
  octokit.hook.error('request', (error) => {
    note((error as { response?: { headers?: Headers } }).response?.headers);
    throw error;
  });
}

/** The budget GitHub last reported to this client, or null before its first answer. */
export function rateBudget(gh: object): RateBudget | null {
  return budgets.get(gh) ?? null;
}

/**
 * The budget when it is below the reserve in the current window, else null (also when unknown:
 * a fresh client has not been told yet, and its next answer tells it). A window that has reset
 * since the last answer counts as renewed.
 */
export function belowReserve(gh: object, now: Date): RateBudget | null {
  const b = budgets.get(gh);
  if (!b || b.remaining >= b.reserve) return null;
  if (Number.isFinite(b.resetAt) && now.getTime() >= b.resetAt) return null;
  return b;
}
