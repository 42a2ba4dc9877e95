import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '@octokit/app';
import { Octokit } from '@octokit/core';
import { startGitHubStandIn, validateResponse, type GitHubStandIn } from '../src';

// The manifest flow as a browser and the App's server go through it: the "new App" page takes a
// manifest and sends the browser back with a code; the code buys the App's credentials once.

const manifest = {
  name: 'arm64 CI (laptop)',
  url: 'https://example.test/',
  hook_attributes: { url: 'https://smee.example.test/abc', active: true },
  redirect_url: 'http://127.0.0.1:3000/setup/callback',
  public: false,
  default_permissions: { actions: 'write', checks: 'write', contents: 'read' },
  default_events: ['push', 'workflow_run'],
};

let gh: GitHubStandIn;
let receiver: Server | undefined;

afterEach(async () => {
  await gh?.close();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  receiver = undefined;
});

async function postManifest(base: string, m: unknown, state = 'the-state', org?: string): Promise<Response> {
  const path = org ? `/organizations/${org}/settings/apps/new` : '/settings/apps/new';
  return fetch(`${base}${path}?state=${state}`, {
    method: 'POST',
    body: new URLSearchParams({ manifest: JSON.stringify(m) }),
    redirect: 'manual',
  });
}

function codeOf(res: Response): { code: string; state: string | null; url: URL } {
  const url = new URL(res.headers.get('location') ?? '');
  return { code: url.searchParams.get('code') ?? '', state: url.searchParams.get('state'), url };
}

describe('manifest flow', () => {
  it('sends the browser back to redirect_url with a code and the same state', async () => {
    gh = await startGitHubStandIn({});
    const res = await postManifest(gh.url, manifest);
    expect(res.status).toBe(302);
    const back = codeOf(res);
    expect(back.url.origin + back.url.pathname).toBe('http://127.0.0.1:3000/setup/callback');
    expect(back.state).toBe('the-state');
    expect(back.code).toMatch(/^[0-9a-f]{20}$/);
  });

  it('refuses a manifest without url, and one that is not JSON', async () => {
    gh = await startGitHubStandIn({});
    const { url: _url, ...noUrl } = manifest;
    expect((await postManifest(gh.url, noUrl)).status).toBe(422);
    const res = await fetch(`${gh.url}/settings/apps/new`, { method: 'POST', body: new URLSearchParams({ manifest: '{' }), redirect: 'manual' });
    expect(res.status).toBe(422);
  });

  it('converts a code once into the App: id, pem, webhook secret, client id and secret, as documented', async () => {
    gh = await startGitHubStandIn({});
    const { code } = codeOf(await postManifest(gh.url, manifest, 's', 'octo-org'));
    const octokit = new Octokit({ baseUrl: gh.url });
    const res = await octokit.request('POST /app-manifests/{code}/conversions', { code });
    expect(res.status).toBe(201);
    expect(validateResponse({ method: 'POST', path: `/app-manifests/${code}/conversions`, status: 201, body: res.data })).toEqual({ ok: true });
    expect(res.data).toMatchObject({ slug: 'arm64-ci-laptop', name: 'arm64 CI (laptop)', owner: { login: 'octo-org', type: 'Organization' } });
    expect(res.data.pem).toMatch(/BEGIN RSA PRIVATE KEY/);
    expect(res.data.webhook_secret).toMatch(/^[0-9a-f]{40}$/);
    expect(res.data.client_id).toBeTruthy();

    // The new App authenticates with its key and reads what the manifest asked for.
    const app = new App({ appId: res.data.id, privateKey: res.data.pem, Octokit: Octokit.defaults({ baseUrl: gh.url }) });
    const me = await app.octokit.request('GET /app');
    expect(me.data!.permissions).toEqual({ metadata: 'read', actions: 'write', checks: 'write', contents: 'read' });
    expect(me.data!.events).toEqual(['push', 'workflow_run']);
    const hook = await app.octokit.request('GET /app/hook/config');
    expect(hook.data).toEqual({ url: 'https://smee.example.test/abc', content_type: 'json', insecure_ssl: '0', secret: '********' });
    expect(validateResponse({ method: 'GET', path: '/app/hook/config', status: 200, body: hook.data })).toEqual({ ok: true });

    // A code is good once; an unknown one is not found.
    await expect(octokit.request('POST /app-manifests/{code}/conversions', { code })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.request('POST /app-manifests/{code}/conversions', { code: 'nope' })).rejects.toMatchObject({ status: 404 });
    expect(gh.violations).toEqual([]);
  });

  it('signs deliveries with the new App secret and sends them to the manifest hook URL', async () => {
    const got: { body: string; signature: string }[] = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ body, signature: String(req.headers['x-hub-signature-256']) });
        res.writeHead(202).end('{}');
      });
    });
    await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    gh = await startGitHubStandIn({ repos: [{ owner: 'octo-org', name: 'w', installationId: 5 }] });
    const { code } = codeOf(await postManifest(gh.url, { ...manifest, hook_attributes: { url: hookUrl } }));
    const { data } = await new Octokit({ baseUrl: gh.url }).request('POST /app-manifests/{code}/conversions', { code });
    await gh.deliver(gh.events.pushEvent(gh.repo('octo-org', 'w'), { ref: 'refs/heads/main', after: 'e'.repeat(40) }));
    expect(got).toHaveLength(1);
    expect(got[0]!.signature).toBe(`sha256=${createHmac('sha256', data.webhook_secret!).update(got[0]!.body).digest('hex')}`);
  });

  it('serves the REST API under /api/v3 as GitHub Enterprise Server does', async () => {
    gh = await startGitHubStandIn({});
    const { code } = codeOf(await postManifest(gh.url, manifest));
    const octokit = new Octokit({ baseUrl: `${gh.url}/api/v3` });
    const res = await octokit.request('POST /app-manifests/{code}/conversions', { code });
    const app = new App({ appId: res.data.id, privateKey: res.data.pem, Octokit: Octokit.defaults({ baseUrl: `${gh.url}/api/v3` }) });
    expect((await app.octokit.request('GET /app')).data!.slug).toBe('arm64-ci-laptop');
    expect(gh.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`POST /app-manifests/${code}/conversions 201`, 'GET /app 200']);
  });
});
