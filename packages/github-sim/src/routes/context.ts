/**
 * What every route handler works with: the reply it returns, the error it throws, the request
 * context and what it may ask of the server, and the lookups and pagination the routes share.
 */
import type { ShapeContext } from '../shapes';
import type { RepoRecord, WorkflowRunRecord } from '../records';
import type { StandInState } from '../state';

export type Obj = Record<string, any>;

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes (artifact zips, raw file content) instead of JSON. */
  raw?: Uint8Array | string;
  contentType?: string;
}

/** A GitHub error answer. 422s (and 400s) are requests GitHub rejects, so they count as violations. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly violation = status === 422 || status === 400,
    readonly extra: Obj = {},
  ) {
    super(message);
  }
}

export interface RouteContext {
  operationId: string;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: any;
  headers: Headers;
  /** The installation of the token used, when the route takes an installation token. */
  installationId?: number;
  documentationUrl: string;
  /** The request URL (for pagination links). */
  url: URL;
}

export interface RouteEnv {
  state: StandInState;
  shape: ShapeContext;
  /** Issues an installation token (JWT already checked). */
  issueToken(installationId: number, repositories?: string[]): { token: string; expiresAt: Date };
  /** Called after a dispatch created a run (auto-play hooks in here). */
  onRunCreated(run: WorkflowRunRecord): void;
  /** Cancels a run: state now, webhooks in the background. */
  cancelRun(run: WorkflowRunRecord): void;
  /** Re-sends a logged delivery in the background. */
  redeliver(deliveryId: number): boolean;
  /** A one-minute download URL for an artifact zip. */
  artifactDownloadUrl(artifactId: number): string;
  /** A manifest conversion created the App: deliveries are signed with its new secret from now on. */
  onAppCreated(app: { webhookSecret: string; hookUrl: string | undefined }): void;
}

export type Handler = (env: RouteEnv, ctx: RouteContext) => Reply | Promise<Reply>;

export const notFound = () => new HttpError(404, 'Not Found');

export function repoOf(env: RouteEnv, ctx: RouteContext): RepoRecord {
  const repo = env.state.repo(ctx.params.owner ?? '', ctx.params.repo ?? '');
  if (!repo) throw notFound();
  return repo;
}

export function intParam(ctx: RouteContext, name: string): number {
  return Number(ctx.params[name]);
}

export function q(ctx: RouteContext, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** GitHub's page/per_page pagination with a Link header. */
export function paginate<T>(ctx: RouteContext, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(q(ctx, 'per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(q(ctx, 'page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const u = new URL(ctx.url);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(n));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}
