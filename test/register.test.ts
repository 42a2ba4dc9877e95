/**
 * Day one on a real GitHub, end to end on the stand-in: the sandbox's home page offers to register
 * the App; the manifest goes to GitHub's "new App" page with a fresh state; GitHub's redirect back
 * is refused when the state is not ours and, when it is, exchanged for the App's credentials,
 * written to .env (0600) — and the server restarts in GitHub mode, receiving deliveries through
 * the smee channel the registration created.
 */
import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseEnv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { randomSha, startGitHubStandIn, type GitHubStandIn } from '@arm64-ci/github-sim';
import { superviseLocal, type Supervised } from '../src/local/supervise';
import { seedRepo } from './support/world';
import { startSmeeServer, type SmeeServer } from './support/smee-server';

let gh: GitHubStandIn;
let smee: SmeeServer;
let sup: Supervised | undefined;
let dir: string;

beforeEach(async () => {
  gh = await startGitHubStandIn({ repos: [seedRepo()] });
  smee = await startSmeeServer();
  dir = mkdtempSync(join(tmpdir(), 'register-'));
});

afterEach(async () => {
  await sup?.close();
  sup = undefined;
  await gh.close();
  await smee.close();
});

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden form the "On to GitHub" page submits: where it goes and the manifest it carries. */
function toGitHubForm(html: string): { action: string; manifest: Record<string, any> } {
  const action = /<form id="to-github" method="post" action="([^"]+)"/.exec(html)?.[1];
  const manifest = /name="manifest" value="([^"]*)"/.exec(html)?.[1];
  if (!action || manifest === undefined) throw new Error(`no form to GitHub in:\n${html}`);
  return { action: unescape(action), manifest: JSON.parse(unescape(manifest)) };
}

async function start(env: Record<string, string> = {}) {
  const envFile = join(dir, '.env');
  sup = await superviseLocal({
    env: { PORT: '0', LOG_LEVEL: 'error', GITHUB_API_URL: gh.url, ...env },
    inMemory: true,
    envFile,
    newChannelUrl: `${smee.url}/new`,
  });
  return { envFile, url: sup.current.url };
}

/** What the browser does on GitHub's page: post the manifest, follow GitHub's redirect back. */
async function createOnGitHub(action: string, manifest: unknown, state?: string): Promise<string> {
  const target = new URL(action);
  if (state !== undefined) target.searchParams.set('state', state);
  const res = await fetch(target, { method: 'POST', body: new URLSearchParams({ manifest: JSON.stringify(manifest) }), redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

it('registers the App from the home page, refuses a wrong state, writes .env 0600 and restarts in GitHub mode receiving deliveries through smee', async () => {
  const { envFile, url } = await start();
  expect(sup!.current.settings.mode).toBe('sandbox');

  const home = await (await fetch(`${url}/`)).text();
  expect(home).toContain('Register the GitHub App on GitHub');
  expect(home).toContain('action="/setup/manifest"');

  const page = await fetch(`${url}/setup/manifest`, {
    method: 'POST',
    body: new URLSearchParams({ account: 'organization', org: 'octo-org', channel: 'new' }),
  });
  expect(page.status).toBe(200);
  const { action, manifest } = toGitHubForm(await page.text());
  expect(action).toMatch(new RegExp(`^${gh.url}/organizations/octo-org/settings/apps/new\\?state=[\\w-]{32}$`));
  const channel = manifest.hook_attributes.url as string;
  expect(channel).toMatch(new RegExp(`^${smee.url}/[\\w-]+$`));
  expect(manifest.redirect_url).toBe(`${url}/setup/callback`);
  const appYml = parseYaml(readFileSync('app.yml', 'utf8'));
  expect(manifest.default_permissions).toEqual(appYml.default_permissions);
  expect(manifest.default_events).toEqual(appYml.default_events);

  // GitHub sends the browser back with a state this server never handed out: nothing happens.
  const forged = await fetch(await createOnGitHub(action, manifest, 'not-the-state'));
  expect(forged.status).toBe(400);
  expect(await forged.text()).toContain('Registration not started here');
  expect(existsSync(envFile)).toBe(false);
  expect(gh.requests.filter((r) => r.operationId === 'apps/create-from-manifest')).toEqual([]);

  // The real round trip.
  const back = await fetch(await createOnGitHub(action, manifest));
  expect(back.status).toBe(200);
  const done = await back.text();
  const app = gh.state.app!;
  expect(done).toContain(`href="${gh.url}/_html/apps/${app.slug}/installations/new"`);

  const next = await sup!.nextStart();
  expect(next.settings.mode).toBe('github');
  expect(next.url).toBe(url);
  expect(statSync(envFile).mode & 0o777).toBe(0o600);
  // …and never committed.
  expect(readFileSync('.gitignore', 'utf8').split('\n')).toContain('.env');
  const written = parseEnv(readFileSync(envFile, 'utf8'));
  expect(written).toMatchObject({
    APP_ID: String(app.id),
    WEBHOOK_SECRET: gh.webhookSecret,
    WEBHOOK_PROXY_URL: channel,
    GITHUB_API_URL: gh.url,
  });
  expect(written.PRIVATE_KEY).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n?$/);
  expect(written.GITHUB_CLIENT_ID).toBe(app.clientId);
  expect(written.GITHUB_CLIENT_SECRET).toMatch(/^[0-9a-f]{40}$/);
  // In GitHub mode there is nothing left to register: the setup routes are gone.
  expect((await fetch(await createOnGitHub(action, manifest))).status).toBe(404);
  expect(await (await fetch(`${url}/`)).text()).not.toContain('Register the GitHub App');

  // GitHub mode: a push reaches the laptop through the smee channel and the App acts on it.
  await next.proxy!.ready;
  const repo = gh.repo('octo-org', 'widget');
  const sha = randomSha();
  gh.setBranch('octo-org', 'widget', 'main', sha);
  await gh.deliver(gh.events.pushEvent(repo, { ref: 'refs/heads/main', after: sha }));
  expect(smee.posted.get(new URL(channel).pathname)).toBe(1);
  const deadline = Date.now() + 20_000;
  while (!gh.checkRuns('octo-org', 'widget').some((c) => c.headSha === sha) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(gh.checkRuns('octo-org', 'widget').map((c) => c.headSha)).toContain(sha);
  expect(gh.violations).toEqual([]);
}, 60_000);

it('registers on a GitHub Enterprise Server host (API under /api/v3) with a PUBLIC_URL webhook and no channel', async () => {
  const { envFile, url } = await start({ PUBLIC_URL: 'https://ci.example.test' });
  const page = await fetch(`${url}/setup/manifest`, { method: 'POST', body: new URLSearchParams({ account: 'user', ghes_host: gh.url }) });
  const { action, manifest } = toGitHubForm(await page.text());
  expect(action.startsWith(`${gh.url}/settings/apps/new?state=`)).toBe(true);
  expect(manifest.hook_attributes.url).toBe('https://ci.example.test/api/github/webhooks');
  expect(manifest.url).toBe('https://ci.example.test');
  expect((await fetch(await createOnGitHub(action, manifest))).status).toBe(200);
  const next = await sup!.nextStart();
  expect(next.settings).toMatchObject({ mode: 'github', githubApiUrl: `${gh.url}/api/v3`, webhookProxyUrl: null });
  const written = parseEnv(readFileSync(envFile, 'utf8'));
  expect(written.GITHUB_API_URL).toBe(`${gh.url}/api/v3`);
  expect(written.WEBHOOK_PROXY_URL).toBeUndefined();
});

it('asks for a webhook URL rather than registering an App GitHub cannot reach', async () => {
  const { url } = await start();
  const page = await fetch(`${url}/setup/manifest`, { method: 'POST', body: new URLSearchParams({ account: 'user' }) });
  expect(page.status).toBe(400);
  expect(await page.text()).toContain('GitHub needs a webhook URL');
});
