/**
 * `npm run replay -- --failed --since 24h` and `--delivery <id>`: deliveries that GitHub could not
 * hand over while the laptop was away are read back from the App's delivery log (the stand-in's,
 * as GitHub's API serves it) and replayed through the webhook route of the server now running.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomSha, startGitHubStandIn, type GitHubStandIn } from '@arm64-ci/github-sim';
import { createGitHubClients } from '../src/github/client';
import { createLogger } from '../src/log';
import { startLocal, type LocalServer } from '../src/local/server';
import { fetchDelivery, fetchFailedSince } from '../src/local/replay/github';
import { replay } from '../src/local/replay/run';
import { APP_ID, seedRepo, testKeys } from './support/world';

let gh: GitHubStandIn;
let local: LocalServer;
const SECRET = 'laptop-secret';

beforeAll(async () => {
  // The laptop is off: every delivery fails (GitHub records no answer as status 0 / a 5xx).
  gh = await startGitHubStandIn({
    app: { id: APP_ID, publicKeyPem: testKeys().publicKey },
    repos: [seedRepo()],
    webhook: { target: async () => new Response('gateway down', { status: 502 }), secret: SECRET },
  });
  const repo = gh.repo('octo-org', 'widget');
  for (let i = 0; i < 2; i++) {
    const sha = randomSha();
    gh.setBranch('octo-org', 'widget', 'main', sha);
    await gh.deliver(gh.events.pushEvent(repo, { ref: 'refs/heads/main', after: sha }));
  }
  local = await startLocal({
    env: { PORT: '0', LOG_LEVEL: 'error', APP_ID: String(APP_ID), PRIVATE_KEY: testKeys().privateKey, WEBHOOK_SECRET: SECRET, GITHUB_API_URL: gh.url },
    inMemory: true,
  });
  gh.webhookTarget = `${local.url}/api/github/webhooks`;
});

afterAll(async () => {
  await local.close();
  await gh.close();
});

const appClient = () => createGitHubClients({ appId: String(APP_ID), privateKey: testKeys().privateKey, baseUrl: gh.url, log: createLogger({ level: 'error' }) }).app.octokit;

it('fetches the failed deliveries of the window and replays them: accepted, and the App acts on them', async () => {
  const failed = await fetchFailedSince(appClient(), 24 * 3_600_000);
  expect(failed.map((d) => d.id)).toEqual(gh.deliveries.map((d) => d.guid));
  const sent = await replay(failed, { url: `${local.url}/api/github/webhooks`, secret: SECRET });
  expect(sent.map((s) => s.outcome)).toEqual(['accepted', 'accepted']);
  expect(sent.every((s) => s.worker?.startsWith('done'))).toBe(true);
  await gh.settled();
  const shas = failed.map((d) => (d.payload as { after: string }).after);
  expect(gh.checkRuns('octo-org', 'widget').map((c) => c.headSha)).toEqual(expect.arrayContaining(shas));
  expect(gh.violations).toEqual([]);
});

it('fetches one delivery by its log id; replaying it again is a duplicate', async () => {
  const first = gh.deliveries[0]!;
  const d = await fetchDelivery(appClient(), first.id);
  expect(d).toMatchObject({ id: first.guid, event: 'push' });
  const [sent] = await replay([d], { url: `${local.url}/api/github/webhooks`, secret: SECRET });
  expect(sent!.outcome).toBe('duplicate');
});
