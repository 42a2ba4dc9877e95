/**
 * WEBHOOK_PROXY_URL: the local server in GitHub mode follows a smee.io channel (here a local
 * smee-compatible event stream server) with smee-client, and each delivery posted to the channel
 * reaches the webhook route with its headers — its signature still checked there.
 */
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocal, type LocalServer } from '../src/local/server';
import { startSmeeServer, type SmeeServer } from './support/smee-server';
import { testKeys } from './support/world';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
const installation = examples.find((e) => e.name === 'installation')!.examples.find((x) => x.action === 'created')!;

let smee: SmeeServer;
let local: LocalServer;
let channel: string;

beforeAll(async () => {
  smee = await startSmeeServer();
  channel = `${smee.url}/laptop-channel`;
  local = await startLocal({
    env: { PORT: '0', LOG_LEVEL: 'error', APP_ID: '4242', PRIVATE_KEY: testKeys().privateKey, WEBHOOK_SECRET: 'proxy-secret', WEBHOOK_PROXY_URL: channel, GITHUB_API_URL: 'http://127.0.0.1:9' },
    inMemory: true,
  });
  await local.proxy!.ready;
});

afterAll(async () => {
  await local.close();
  await smee.close();
});

async function postToChannel(id: string, secret: string): Promise<void> {
  const body = JSON.stringify(installation);
  const res = await fetch(channel, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'installation',
      'x-github-delivery': id,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
  expect(res.status).toBe(200);
}

/** What the server's worker did with a delivery, once it did something (bounded wait). */
async function journal(id: string): Promise<{ state: string; lines: string[] } | null> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${local.url}/_local/deliveries/${id}`);
    if (res.ok) {
      const e = (await res.json()) as { state: string; lines: string[] };
      if (e.state !== 'working') return e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

it('forwards a delivery from the channel to the webhook route, where the worker acts on it', async () => {
  expect(smee.listeners('/laptop-channel')).toBe(1);
  await postToChannel('11111111-2222-4333-8444-555555555555', 'proxy-secret');
  expect(await journal('11111111-2222-4333-8444-555555555555')).toMatchObject({ state: 'processed', lines: [expect.stringMatching(/^installation updated/)] });
});

it('still refuses a forwarded delivery signed with another secret', async () => {
  await postToChannel('99999999-2222-4333-8444-555555555555', 'someone-else');
  // A correctly signed delivery sent after it arrives and is handled; the forged one never was.
  await postToChannel('22222222-2222-4333-8444-555555555555', 'proxy-secret');
  expect(await journal('22222222-2222-4333-8444-555555555555')).toMatchObject({ state: 'processed' });
  expect((await fetch(`${local.url}/_local/deliveries/99999999-2222-4333-8444-555555555555`)).status).toBe(404);
});
