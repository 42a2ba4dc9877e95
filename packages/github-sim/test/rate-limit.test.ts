import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '@octokit/app';
import { Octokit } from '@octokit/core';
import { startGitHubStandIn, type GitHubStandIn } from '../src';

// GitHub's primary rate limit and conditional requests, as the coordinator's budget relies on them:
// https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
const APP_ID = 4243;
const INSTALLATION = 31;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
let clock = new Date('2026-03-01T12:00:00Z');
let gh: GitHubStandIn;
let octokit: Octokit;

beforeAll(async () => {
  gh = await startGitHubStandIn({
    now: () => clock,
    // The window test moves the clock an hour on: keep the token valid across it.
    tokenTtlMs: 24 * 3_600_000,
    app: { id: APP_ID, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    repos: [
      {
        owner: 'octo-org',
        name: 'budget',
        installationId: INSTALLATION,
        files: { '.github/arm64-ci.yml': 'workflow: arm64-ci.yml\n' },
        runners: [{ name: 'dgx-1', labels: ['self-hosted', 'arm64'] }],
      },
    ],
  });
  const app = new App({
    appId: APP_ID,
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    Octokit: Octokit.defaults({ baseUrl: gh.url }),
  });
  octokit = (await app.getInstallationOctokit(INSTALLATION)) as unknown as Octokit;
});
afterAll(() => gh.close());

const getConfig = (etag?: string) =>
  octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
    owner: 'octo-org',
    repo: 'budget',
    path: '.github/arm64-ci.yml',
    ...(etag ? { headers: { 'if-none-match': etag } } : {}),
  });

describe('primary rate limit and conditional requests', () => {
  it('counts installation requests, reports the budget on every answer, and answers a matching ETag with an uncounted 304', async () => {
    const before = gh.rateLimitedRequests(INSTALLATION).length;
    const first = await getConfig();
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['x-ratelimit-limit']).toBe('5000');
    const left = Number(first.headers['x-ratelimit-remaining']);
    expect(gh.rateLimitedRequests(INSTALLATION).length - before).toBe(1);

    // octokit rejects a 304 (it has no body); the answer still reports the budget, unchanged.
    const again = await getConfig(etag).then(
      () => null,
      (err: { status: number; response: { headers: Record<string, string> } }) => err,
    );
    expect(again?.status).toBe(304);
    expect(Number(again?.response.headers['x-ratelimit-remaining'])).toBe(left);
    expect(gh.rateLimitedRequests(INSTALLATION).length - before).toBe(1);
    expect(gh.requests.at(-1)).toMatchObject({ status: 304, rateLimited: false, installationId: INSTALLATION });

    // A change to the file changes the ETag: a full, counted answer.
    gh.repo('octo-org', 'budget').files['.github/arm64-ci.yml'] = 'workflow: other.yml\n';
    const changed = await getConfig(etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(gh.rateLimitedRequests(INSTALLATION).length - before).toBe(2);
  });

  it('refuses with 403 once the hour is used up, and renews the window an hour later', async () => {
    gh.setRateLimit(INSTALLATION, { remaining: 1 });
    const last = await octokit.request('GET /repos/{owner}/{repo}/actions/runners', { owner: 'octo-org', repo: 'budget' });
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
    const refused = await octokit.request('GET /repos/{owner}/{repo}/actions/runners', { owner: 'octo-org', repo: 'budget' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 403, message: expect.stringContaining('API rate limit exceeded') });
    expect(gh.requests.at(-1)).toMatchObject({ status: 403, rateLimited: false });

    clock = new Date(clock.getTime() + 3_600_000);
    const renewed = await octokit.request('GET /repos/{owner}/{repo}/actions/runners', { owner: 'octo-org', repo: 'budget' });
    expect(renewed.headers['x-ratelimit-remaining']).toBe('4999');
    expect(gh.rateLimit(INSTALLATION)).toMatchObject({ limit: 5000, used: 1, remaining: 4999 });
  });
});
