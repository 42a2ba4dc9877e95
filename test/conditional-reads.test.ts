/** Conditional GETs against the stand-in: unchanged answers are free 304s, changed ones come back whole. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandIn, type GitHubStandIn } from '@arm64-ci/github-sim';
import { createGitHubClients, type GitHub } from '../src/github/client';
import { readFile } from '../src/github/contents';
import { belowReserve, rateBudget } from '../src/github/rate-budget';
import { createLogger } from '../src/log';
import { APP_ID, seedRepo, testClock, testKeys } from './support/world';

const clock = testClock();
let gh: GitHubStandIn;
let client: GitHub;
beforeAll(async () => {
  const { privateKey, publicKey } = testKeys();
  gh = await startGitHubStandIn({ app: { id: APP_ID, publicKeyPem: publicKey }, repos: [seedRepo()], now: clock.now });
  const clients = createGitHubClients({ appId: String(APP_ID), privateKey, baseUrl: gh.url, log: createLogger({ level: 'error', write: () => {} }), writeIntervalMs: 0, retryBaseMs: 5, rateLimitReserve: 300 });
  client = await clients.forInstallation(7);
});
afterAll(() => gh.close());

const config = () => readFile(client, { owner: 'octo-org', repo: 'widget', path: '.github/arm64-ci.yml', ref: 'main' });

describe('conditional reads', () => {
  it('reads an unchanged file again for free, and a changed one in full', async () => {
    const first = await config();
    const counted = gh.rateLimitedRequests(7).length;
    expect(await config()).toBe(first);
    expect(gh.requests.at(-1)).toMatchObject({ status: 304, rateLimited: false });
    expect(gh.rateLimitedRequests(7).length).toBe(counted);

    gh.repo('octo-org', 'widget').files['.github/arm64-ci.yml'] = 'workflow: changed.yml\n';
    expect(await config()).toBe('workflow: changed.yml\n');
    expect(gh.rateLimitedRequests(7).length).toBe(counted + 1);
  });

  it('remembers the budget GitHub reported, 304s included, and compares it with the reserve', async () => {
    gh.setRateLimit(7, { remaining: 1000 });
    await config();
    expect(rateBudget(client)).toMatchObject({ remaining: 1000, limit: 5000, reserve: 300 });
    expect(belowReserve(client, clock.now())).toBeNull();
    gh.setRateLimit(7, { remaining: 250 });
    await config(); // a 304: not counted, still reported
    expect(gh.requests.at(-1)?.status).toBe(304);
    expect(belowReserve(client, clock.now())).toMatchObject({ remaining: 250, reserve: 300 });
    // Once GitHub's window has reset, the last answer no longer speaks for the budget.
    expect(belowReserve(client, new Date(clock.now().getTime() + 3_600_000))).toBeNull();
  });
});
