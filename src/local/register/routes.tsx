/**
 * The manifest flow from this server: a form (personal account, organization, or a GitHub
 * Enterprise Server host) → a page that posts app.yml's manifest to GitHub's "new App" page with a
 * fresh `state` → GitHub sends the browser back to /setup/callback with a one-hour `code` → the
 * code is exchanged for the App's credentials, which `save` keeps (.env locally, the stack's
 * secret on AWS). A callback whose `state` this server did not hand out changes nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { SmeeClient } from 'smee-client';
import { Layout, STYLE_SRC } from '../../http/pages/layout';
import { RegisterForm } from '../../http/pages/register-form';
import type { Logger } from '../../log';
import { convertManifestCode, type RegisteredApp } from './convert';
import { hostFromEnterprise, newAppUrl, type GitHubHost } from './hosts';
import { manifestFrom } from './manifest';

export interface RegistrationOptions {
  /** The GitHub to register on unless the form names an Enterprise Server host. */
  host: GitHubHost;
  /** app.yml's text. */
  appYml: string;
  /**
   * Where GitHub should send webhooks when no channel is created: WEBHOOK_PROXY_URL, else
   * PUBLIC_URL's webhook route (on AWS: the stack's WebhookUrl); null when neither is set.
   */
  webhookUrl: string | null;
  /** The App's homepage (PUBLIC_URL); default this server's address as the browser sees it. */
  homepage: string | null;
  /** smee.io's "new channel" URL (tests: a local event stream server). */
  newChannelUrl?: string;
  /** Keeps the credentials; answers what the success page says about where they went. */
  save(app: RegisteredApp, extra: { webhookProxyUrl: string | null }): Promise<string>;
  log: Logger;
  /** Whether the form offers a smee.io channel (not on AWS, where the stack has a public URL). */
  offerChannel?: boolean;
}

interface Pending {
  host: GitHubHost;
  createdAt: number;
  webhookProxyUrl: string | null;
}

/** GitHub's codes last an hour; a state older than that cannot come back with a valid code. */
const STATE_TTL_MS = 3_600_000;

const SUBMIT_SCRIPT = `document.getElementById('to-github').submit();`;
const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

function setupHeaders(c: Context, formTarget?: string): void {
  c.header(
    'content-security-policy',
    [
      "default-src 'none'",
      // The Layout's stylesheet and the one submit script, pinned by hash.
      `style-src ${STYLE_SRC}`,
      `script-src ${sha256(SUBMIT_SCRIPT)}`,
      "img-src 'self' data:",
      `form-action 'self'${formTarget ? ` ${new URL(formTarget).origin}` : ''}`,
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  );
  c.header('referrer-policy', 'no-referrer');
  c.header('cache-control', 'no-store');
}

export function registrationRoutes(opts: RegistrationOptions): Hono {
  const pending = new Map<string, Pending>();
  const log = opts.log.child({ component: 'register' });
  const r = new Hono();

  r.get('/', (c) => {
    setupHeaders(c);
    return c.html(<SetupPage host={opts.host} needsChannel={!opts.webhookUrl} offerChannel={opts.offerChannel !== false} />);
  });

  r.post('/manifest', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const field = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
    let host = opts.host;
    try {
      if (field('ghes_host')) host = hostFromEnterprise(field('ghes_host'));
    } catch (err) {
      setupHeaders(c);
      return c.html(<Problem title="Not a host" text={(err as Error).message} />, 400);
    }
    const org = field('account') === 'organization' ? field('org') : '';
    if (field('account') === 'organization' && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(org)) {
      setupHeaders(c);
      return c.html(<Problem title="Organization needed" text="Give the organization's login (letters, digits and hyphens) or choose your personal account." />, 400);
    }
    let webhookUrl = opts.webhookUrl;
    let webhookProxyUrl: string | null = null;
    if (!webhookUrl || (opts.offerChannel !== false && field('channel') === 'new')) {
      if (opts.offerChannel === false || (field('channel') !== 'new' && !webhookUrl)) {
        setupHeaders(c);
        return c.html(
          <Problem
            title="GitHub needs a webhook URL"
            text="This server is not reachable from GitHub: tick “create a smee.io channel”, or set WEBHOOK_PROXY_URL (a channel you have) or PUBLIC_URL (a public address of this server) and restart."
          />,
          400,
        );
      }
      try {
        webhookProxyUrl = await SmeeClient.createChannel(opts.newChannelUrl ? { newChannelUrl: opts.newChannelUrl } : {});
      } catch (err) {
        log.warn('smee channel not created', { error: (err as Error).message });
        setupHeaders(c);
        return c.html(<Problem title="No channel" text={`smee.io did not create a channel (${(err as Error).message}); try again, or set WEBHOOK_PROXY_URL.`} />, 502);
      }
      webhookUrl = webhookProxyUrl;
    }
    const origin = new URL(c.req.url).origin;
    const state = randomBytes(24).toString('base64url');
    const now = Date.now();
    for (const [k, p] of pending) if (now - p.createdAt > STATE_TTL_MS) pending.delete(k);
    pending.set(state, { host, createdAt: now, webhookProxyUrl });
    const manifest = manifestFrom(
      opts.appYml,
      { homepage: opts.homepage ?? origin, webhook: webhookUrl!, redirect: `${origin}/setup/callback` },
      field('name') || undefined,
    );
    const action = newAppUrl(host, org || null, state);
    setupHeaders(c, action);
    return c.html(<ToGitHub action={action} manifest={JSON.stringify(manifest)} host={host.web} org={org || null} />);
  });

  r.get('/callback', async (c) => {
    setupHeaders(c);
    const state = c.req.query('state') ?? '';
    const code = c.req.query('code') ?? '';
    const started = pending.get(state);
    if (!started || Date.now() - started.createdAt > STATE_TTL_MS) {
      log.warn('registration callback refused: unknown state');
      return c.html(
        <Problem title="Registration not started here" text="This link does not carry the state this server handed out (or it is over an hour old), so nothing was saved. Start again from the home page." />,
        400,
      );
    }
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(code)) return c.html(<Problem title="No code" text="GitHub's answer carries no code: start again." />, 400);
    pending.delete(state);
    let app: RegisteredApp;
    try {
      app = await convertManifestCode(started.host.api, code);
    } catch (err) {
      const status = (err as { status?: number }).status;
      log.warn('manifest conversion failed', { status });
      return c.html(<Problem title="GitHub refused the code" text={`The code could not be exchanged (${status ?? 'no answer'}): it works once and for an hour. Start again.`} />, 502);
    }
    const where = await opts.save(app, { webhookProxyUrl: started.webhookProxyUrl });
    log.info('GitHub App registered', { appId: app.appId, slug: app.slug, api: app.apiUrl });
    return c.html(<Registered app={app} where={where} />);
  });

  return r;
}

function SetupPage(props: { host: GitHubHost; needsChannel: boolean; offerChannel: boolean }) {
  return (
    <Layout title="Register the GitHub App · arm64 CI">
      <h1>Register the GitHub App</h1>
      <RegisterForm web={props.host.web} needsChannel={props.needsChannel} offerChannel={props.offerChannel} />
    </Layout>
  );
}

function ToGitHub(props: { action: string; manifest: string; host: string; org: string | null }) {
  return (
    <Layout title="On to GitHub · arm64 CI">
      <h1>On to GitHub</h1>
      <form id="to-github" method="post" action={props.action}>
        <input type="hidden" name="manifest" value={props.manifest} />
        <p>
          Sending the App's manifest to {props.host}
          {props.org ? ` for the organization ${props.org}` : ''}. There, check the name and click <strong>Create GitHub App</strong>.
        </p>
        <button type="submit">Continue to GitHub</button>
      </form>
      <script dangerouslySetInnerHTML={{ __html: SUBMIT_SCRIPT }} />
    </Layout>
  );
}

function Registered(props: { app: RegisteredApp; where: string }) {
  const install = `${props.app.htmlUrl}/installations/new`;
  return (
    <Layout title="Registered · arm64 CI">
      <h1>Registered {props.app.name}</h1>
      <p>{props.where}</p>
      <p>
        Next: <a href={install} id="install">install the App on your repositories</a>, then push a commit.
      </p>
    </Layout>
  );
}

function Problem(props: { title: string; text: string }) {
  return (
    <Layout title={`${props.title} · arm64 CI`}>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <p>
        <a href="/setup">Back to registration</a>
      </p>
    </Layout>
  );
}
