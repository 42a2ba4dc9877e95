/**
 * `npm run replay`: deliveries from files — GitHub's "Recent Deliveries" shape (headers and
 * payload) and @octokit/webhooks-examples shapes — go through the real webhook route of a running
 * local server, signed with its secret; each is reported accepted, duplicate, ignored or rejected,
 * with what the worker did.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomSha } from '@arm64-ci/github-sim';
import { startLocal, type LocalServer } from '../src/local/server';
import { DEMO_REPO } from '../src/local/sandbox';
import { outcomeTable, replay } from '../src/local/replay/run';
import { readDeliveries } from '../src/local/replay/sources';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
const example = (name: string, action?: string) => examples.find((e) => e.name === name)!.examples.find((x) => !action || x.action === action)!;

let local: LocalServer;
let dir: string;

beforeAll(async () => {
  local = await startLocal({ env: { PORT: '0', LOG_LEVEL: 'error' }, inMemory: true, playDelayMs: 0 });
  const gh = local.standIn!;
  dir = mkdtempSync(join(tmpdir(), 'replay-'));
  // A push to the sandbox's demo repository, saved as GitHub's delivery log shows it.
  const sha = randomSha();
  gh.setBranch(DEMO_REPO.owner, DEMO_REPO.name, 'main', sha);
  const push = gh.events.pushEvent(gh.repo(DEMO_REPO.owner, DEMO_REPO.name), { ref: 'refs/heads/main', after: sha });
  const delivery = { guid: 'f0e1d2c3-0000-4000-8000-000000000001', event: 'push', request: { headers: { 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': 'f0e1d2c3-0000-4000-8000-000000000001', 'Content-Type': 'application/json' }, payload: push.payload } };
  writeFileSync(join(dir, '1-demo-push.json'), JSON.stringify(delivery));
  // The same delivery again, as the "Recent Deliveries" page's headers and payload.
  writeFileSync(join(dir, '2-again.json'), JSON.stringify({ headers: delivery.request.headers, payload: push.payload }));
  // Example payloads: an event the App does not act on, and a bare payload named by its event.
  writeFileSync(join(dir, '3-star.json'), JSON.stringify({ name: 'star', examples: [example('star', 'created')] }));
  mkdirSync(join(dir, 'more'));
  writeFileSync(join(dir, 'more', 'installation.json'), JSON.stringify(example('installation', 'created')));
});

afterAll(() => local.close());

it('replays a directory of deliveries through the webhook route, duplicates reported as duplicates, with what the worker did', async () => {
  const deliveries = readDeliveries([dir]);
  expect(deliveries.map((d) => d.event)).toEqual(['push', 'push', 'star', 'installation']);

  const url = `${local.url}/api/github/webhooks`;
  const first = await replay(deliveries, { url, secret: local.settings.webhookSecret });
  expect(first.map((s) => s.outcome)).toEqual(['accepted', 'duplicate', 'ignored', 'accepted']);
  expect(first[0]!.worker).toMatch(/^done/);
  expect(first[3]!.worker).toMatch(/^done: installation updated/);
  // The replayed push did what a real one does: a check run on the pushed commit.
  const sha = (deliveries[0]!.payload as { after: string }).after;
  await local.standIn!.settled();
  expect(local.standIn!.checkRuns(DEMO_REPO.owner, DEMO_REPO.name).map((c) => c.headSha)).toContain(sha);

  // Replaying the same files again: GitHub's ids (or, for bare payloads, ids from their content) repeat.
  const again = await replay(deliveries, { url, secret: local.settings.webhookSecret });
  expect(again.map((s) => s.outcome)).toEqual(['duplicate', 'duplicate', 'ignored', 'duplicate']);

  const table = outcomeTable(first);
  expect(table).toContain('4 deliveries: 2 accepted, 1 duplicate, 1 ignored, 0 rejected');
  expect(table).toMatch(/push\s+f0e1d2c3-0000-4000-8000-000000000001\s+duplicate/);
});

it('reports a delivery signed with another secret as rejected, with the route\'s reason', async () => {
  const deliveries = readDeliveries([join(dir, 'more')]);
  const [sent] = await replay(deliveries, { url: `${local.url}/api/github/webhooks`, secret: 'not-the-secret' });
  expect(sent).toMatchObject({ outcome: 'rejected', status: 401, detail: 'signature does not match the payload' });
});

it('says which file it cannot read and why', () => {
  writeFileSync(join(dir, '..', 'replay-broken.json'), '{"headers": {"X-GitHub-Delivery": "x"}, "payload": {}}');
  expect(() => readDeliveries([join(dir, '..', 'replay-broken.json')])).toThrow(/replay-broken\.json: no X-GitHub-Event header/);
  expect(() => readDeliveries([join(dir, 'nope.json')])).toThrow(/nope\.json: no such file or directory/);
});
