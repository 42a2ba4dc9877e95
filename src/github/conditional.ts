/**
 * Conditional GETs: the ETag of the last answer goes back as `If-None-Match`, and GitHub answers
 * `304 Not Modified`, which does not count against the rate limit, when nothing changed. Used for
 * what is read again and again and rarely changes: the repository's config file, runner listings,
 * a workflow run the reconciler polls.
 *
 * The cache lives in memory, per installation client, so per Lambda container (or local process):
 * a fresh container pays one full answer per URL, then 304s. It is bounded (least recently used
 * out first) and holds only small answers. A stale entry is harmless: GitHub decides with the
 * ETag, and a changed resource comes back whole.
 */
import type { Endpoints } from '@octokit/types';
import { httpStatus, type GitHub } from './client';

/** Entries per installation client: a few per repository (config, two runner listings) plus polled runs. */
const MAX_ENTRIES = 2_000;

interface Entry {
  etag: string;
  data: unknown;
}

const caches = new WeakMap<object, Map<string, Entry>>();

type GetRoute = Extract<keyof Endpoints, `GET ${string}`>;

export async function conditionalGet<R extends GetRoute>(
  gh: GitHub,
  route: R,
  params: Endpoints[R]['parameters'],
): Promise<Endpoints[R]['response']['data']> {
  let cache = caches.get(gh);
  if (!cache) caches.set(gh, (cache = new Map()));
  const key = `${route} ${JSON.stringify(Object.entries(params as object).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
  const hit = cache.get(key);
  try {
    const request = gh.request as (r: string, p: unknown) => Promise<{ data: unknown; headers: Record<string, string | undefined> }>;
    const r = await request(route, { ...params, ...(hit ? { headers: { 'if-none-match': hit.etag } } : {}) });
    cache.delete(key);
    const etag = r.headers.etag;
    if (etag) {
      // A copy: callers may change what they were given.
      cache.set(key, { etag, data: structuredClone(r.data) });
      if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    }
    return r.data as Endpoints[R]['response']['data'];
  } catch (err) {
    if (!hit || httpStatus(err) !== 304) throw err;
    // Unchanged: the remembered answer, now the most recently used.
    cache.delete(key);
    cache.set(key, hit);
    return structuredClone(hit.data) as Endpoints[R]['response']['data'];
  }
}
