/** The App, its installations, its webhook configuration and its delivery log in GitHub's JSON. */
import { specExample } from '../openapi-spec';
import type { DeliveryRecord } from '../records';
import { iso, nodeId, rehost, type Obj, type ShapeContext } from './base';
import { user } from './repos';

export function integration(ctx: ShapeContext): Obj | null {
  const app = ctx.state.app;
  if (!app) return null;
  const base = rehost(specExample('integration'), ctx, { octoapp: app.slug });
  return {
    ...base,
    id: app.id,
    slug: app.slug,
    name: app.name,
    node_id: nodeId('Integration', app.id),
    html_url: `${ctx.htmlBase}/apps/${app.slug}`,
    ...(app.owner ? { owner: user(ctx, app.owner.login, app.owner.type) } : {}),
    ...(app.clientId ? { client_id: app.clientId } : {}),
    permissions: app.permissions ?? {
      actions: 'write',
      checks: 'write',
      contents: 'read',
      metadata: 'read',
      pull_requests: 'write',
      issues: 'write',
      administration: 'read',
    },
    events: app.events ?? ['check_run', 'issue_comment', 'pull_request', 'push', 'workflow_job', 'workflow_run'],
  };
}

/** `GET /app/hook/config`: GitHub never shows the secret, only that there is one. */
export function webhookConfig(ctx: ShapeContext): Obj {
  const hook = ctx.state.app?.hook;
  return {
    content_type: 'json',
    insecure_ssl: '0',
    ...(hook ? { url: hook.url } : {}),
    ...(hook?.secret ? { secret: '********' } : {}),
  };
}

export function installation(ctx: ShapeContext, installationId: number): Obj | undefined {
  const account = ctx.state.installationAccount(installationId);
  if (!account) return undefined;
  const app = ctx.state.app;
  const base = rehost(specExample('installation'), ctx);
  return {
    ...base,
    id: installationId,
    account: user(ctx, account.login, account.type),
    repository_selection: 'selected',
    access_tokens_url: `${ctx.apiBase}/app/installations/${installationId}/access_tokens`,
    repositories_url: `${ctx.apiBase}/installation/repositories`,
    html_url: `${ctx.htmlBase}/organizations/${account.login}/settings/installations/${installationId}`,
    app_id: app?.id ?? 0,
    app_slug: app?.slug ?? 'app',
    target_id: account.id,
    target_type: account.type,
    permissions: integration(ctx)?.permissions ?? {},
    events: integration(ctx)?.events ?? [],
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_at: null,
    suspended_by: null,
  };
}

export function hookDeliveryItem(d: DeliveryRecord): Obj {
  return {
    id: d.id,
    guid: d.guid,
    delivered_at: iso(d.deliveredAt),
    redelivery: d.redelivery,
    duration: d.duration,
    status: d.status,
    status_code: d.statusCode,
    event: d.event,
    action: d.action,
    installation_id: d.installationId,
    repository_id: d.repositoryId,
    throttled_at: null,
  };
}
