/** The App's own routes: itself, its installations and their tokens, the manifest flow, the webhook delivery log. */
import { randomBytes } from 'node:crypto';
import { generateAppKeys } from '../keys';
import * as shapes from '../shapes';
import { HttpError, intParam, notFound, paginate, q, repoOf, type Handler, type Reply, type RouteContext, type RouteEnv } from './context';

function newToken(env: RouteEnv, ctx: RouteContext): Reply {
  const installationId = intParam(ctx, 'installation_id');
  const repos = env.state.installationRepos(installationId);
  if (repos.length === 0) throw notFound();
  let limited: string[] | undefined;
  if (Array.isArray(ctx.body?.repositories) || Array.isArray(ctx.body?.repository_ids)) {
    const names = new Set<string>((ctx.body.repositories ?? []).map((n: string) => n.toLowerCase()));
    const ids = new Set<number>(ctx.body.repository_ids ?? []);
    const chosen = repos.filter((r) => names.has(r.name.toLowerCase()) || ids.has(r.id));
    if (chosen.length !== names.size + ids.size) {
      throw new HttpError(422, 'There is at least one repository that does not exist or is not accessible to the parent installation.');
    }
    limited = chosen.map((r) => r.fullName);
  }
  const { token, expiresAt } = env.issueToken(installationId, limited);
  const app = shapes.integration(env.shape);
  return {
    status: 201,
    body: {
      token,
      expires_at: shapes.iso(expiresAt),
      permissions: ctx.body?.permissions ?? app?.permissions ?? {},
      repository_selection: limited ? 'selected' : 'all',
      ...(limited
        ? { repositories: limited.map((full) => shapes.repository(env.shape, env.state.repos.get(full.toLowerCase())!)) }
        : {}),
    },
  };
}

function listDeliveries(env: RouteEnv, ctx: RouteContext): Reply {
  const perPage = Math.min(Math.max(Number(q(ctx, 'per_page') ?? 30) || 30, 1), 100);
  const cursor = q(ctx, 'cursor');
  const status = q(ctx, 'status');
  let items = [...env.state.deliveries].sort((a, b) => b.id - a.id);
  if (status === 'success') items = items.filter((d) => d.statusCode >= 200 && d.statusCode < 400);
  if (status === 'failure') items = items.filter((d) => d.statusCode < 200 || d.statusCode >= 400);
  if (cursor) {
    const m = /^v1_(\d+)$/.exec(cursor);
    if (!m) throw new HttpError(400, 'Invalid cursor');
    items = items.filter((d) => d.id <= Number(m[1]));
  }
  const page = items.slice(0, perPage);
  const next = items[perPage];
  const headers: Record<string, string> = {};
  if (next) {
    const u = new URL(ctx.url);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('cursor', `v1_${next.id}`);
    headers.link = `<${u.toString()}>; rel="next"`;
  }
  return { status: 200, headers, body: page.map(shapes.hookDeliveryItem) };
}

export const appsRoutes: Record<string, Handler> = {
  'apps/get-authenticated': (env) => ({ status: 200, body: shapes.integration(env.shape) }),

  'apps/create-installation-access-token': newToken,

  'apps/get-installation': (env, ctx) => {
    const inst = shapes.installation(env.shape, intParam(ctx, 'installation_id'));
    if (!inst) throw notFound();
    return { status: 200, body: inst };
  },

  'apps/list-installations': (env, ctx) => {
    const ids = [...new Set([...env.state.repos.values()].map((r) => r.installationId))].sort((a, b) => a - b);
    const { page, headers } = paginate(ctx, ids);
    return { status: 200, headers, body: page.map((id) => shapes.installation(env.shape, id)) };
  },

  'apps/get-repo-installation': (env, ctx) => {
    const repo = repoOf(env, ctx);
    return { status: 200, body: shapes.installation(env.shape, repo.installationId) };
  },

  'apps/list-repos-accessible-to-installation': (env, ctx) => {
    const repos = env.state.installationRepos(ctx.installationId ?? -1);
    const { page, headers } = paginate(ctx, repos);
    return {
      status: 200,
      headers,
      body: {
        total_count: repos.length,
        repository_selection: 'selected',
        repositories: page.map((r) => shapes.repository(env.shape, r)),
      },
    };
  },

  'apps/list-webhook-deliveries': listDeliveries,

  'apps/get-webhook-config-for-app': (env) => ({ status: 200, body: shapes.webhookConfig(env.shape) }),

  // The manifest flow's last step: GitHub creates the App the "new App" page was given and hands
  // its credentials over once. Codes expire after an hour.
  'apps/create-from-manifest': (env, ctx) => {
    const record = env.state.manifestCodes.get(ctx.params.code ?? '');
    const expired = record && env.state.now().getTime() - record.createdAt.getTime() > 3_600_000;
    if (!record || record.used || expired) throw notFound();
    record.used = true;
    const m = record.manifest;
    const keys = generateAppKeys();
    const id = (env.state.app?.id ?? 1_000_000) + 1;
    const name = String(m.name ?? 'app');
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `app-${id}`;
    const webhookSecret = randomBytes(20).toString('hex');
    const clientId = `Iv23li${randomBytes(7).toString('hex')}`;
    const hookUrl = typeof m.hook_attributes?.url === 'string' ? m.hook_attributes.url : undefined;
    env.state.seedApp({
      id,
      slug,
      name,
      publicKeyPem: keys.publicKey,
      permissions: { metadata: 'read', ...(m.default_permissions ?? {}) },
      events: [...(m.default_events ?? [])],
      ...(hookUrl ? { hook: { url: hookUrl, secret: true, active: m.hook_attributes?.active !== false } } : {}),
      owner: record.owner,
      clientId,
    });
    env.onAppCreated({ webhookSecret, hookUrl });
    return {
      status: 201,
      body: {
        ...shapes.integration(env.shape),
        description: typeof m.description === 'string' ? m.description : null,
        external_url: String(m.url ?? ''),
        client_id: clientId,
        client_secret: randomBytes(20).toString('hex'),
        webhook_secret: webhookSecret,
        pem: keys.privateKey,
      },
    };
  },

  'apps/get-webhook-delivery': (env, ctx) => {
    const d = env.state.deliveries.find((x) => x.id === intParam(ctx, 'delivery_id'));
    if (!d) throw notFound();
    let payload: unknown = d.payload;
    try {
      payload = JSON.parse(d.payload);
    } catch {
      // keep the raw text
    }
    return {
      status: 200,
      body: {
        ...shapes.hookDeliveryItem(d),
        url: null,
        request: { headers: { 'X-GitHub-Delivery': d.guid, 'X-GitHub-Event': d.event, 'content-type': 'application/json' }, payload },
        response: { headers: {}, payload: d.responseBody },
      },
    };
  },

  'apps/redeliver-webhook-delivery': (env, ctx) => {
    if (!env.redeliver(intParam(ctx, 'delivery_id'))) throw notFound();
    return { status: 202, body: {} };
  },
};
