/**
 * The request pipeline: every request is recorded, validated against GitHub's OpenAPI description,
 * optionally failed on purpose, authenticated like GitHub, metered against the installation's rate
 * limit, then answered by its route (with GitHub's ETags and conditional requests).
 */
import { authenticate } from './auth';
import { faultResponse, type Faults } from './faults';
import { type ArtifactLinks, standInUrl } from './internal-urls';
import { newAppPage } from './manifest-page';
import { validateRequest } from './validate';
import type { RateLimits } from './rate-limit';
import { DOCS, error, etagMatches, etagOf, json, reply as replyResponse, withHeaders } from './responses';
import { HttpError, handlers, type RouteContext, type RouteEnv } from './routes';
import type { StandInState } from './state';

export interface RecordedRequest {
  method: string;
  /** Path without query string, as sent (percent-encoded). */
  path: string;
  query: Record<string, string | string[]>;
  body: unknown;
  /** The answer's status (0 until answered). */
  status: number;
  at: Date;
  operationId?: string;
  /** Whether an Authorization header came with it (a signed artifact link must be fetched without). */
  authorized: boolean;
  /** The installation whose token made it (installation-token requests only). */
  installationId?: number;
  /**
   * Counted against the installation's primary rate limit: every installation-token request GitHub
   * answered, errors included, except a `304 Not Modified` to a conditional request (GitHub does not
   * count those) and a refusal because the limit was already used up.
   */
  rateLimited: boolean;
}

export interface Violation {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: unknown;
  /** 404 unknown route / wrong path parameter type, 422 invalid request, 400 unparseable JSON. */
  status: number;
  message: string;
  operationId?: string;
  /** `spec`: the OpenAPI description rejects it; `semantic`: GitHub's own rules (unexpected inputs, …). */
  kind: 'spec' | 'semantic';
  at: Date;
}

/** What the pipeline reads and records: the server's state, logs and knobs. */
export interface PipelineDeps {
  state: StandInState;
  requests: RecordedRequest[];
  violations: Violation[];
  unimplemented: RecordedRequest[];
  faults: Faults;
  rates: RateLimits;
  env: RouteEnv;
  downloads: ArtifactLinks;
  jwtNow: (() => Date) | undefined;
}

export async function handleRequest(p: PipelineDeps, req: Request): Promise<Response> {
  const url = new URL(req.url);
  const method = req.method.toUpperCase();
  const page = /^(?:\/_html)?(?:\/organizations\/([^/]+))?\/settings\/apps\/new$/.exec(url.pathname);
  if (page && method === 'POST') return newAppPage(p.state, url, page[1] ? decodeURIComponent(page[1]) : undefined, await req.formData().catch(() => undefined));
  // GitHub Enterprise Server serves the same REST API under /api/v3 (validated here against
  // api.github.com's description); links the stand-in builds keep the prefix the client used.
  const apiPath = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const text = method === 'GET' || method === 'HEAD' ? '' : await req.text();
  let body: unknown;
  let badJson = false;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      badJson = true;
      body = text;
    }
  }
  const rec: RecordedRequest = {
    method,
    path: apiPath,
    query,
    body,
    status: 0,
    at: p.state.now(),
    authorized: req.headers.has('authorization'),
    rateLimited: false,
  };
  p.requests.push(rec);
  const answer = (res: Response): Response => {
    rec.status = res.status;
    return res;
  };
  const violation = (status: number, message: string, kind: Violation['kind'], operationId?: string) => {
    p.violations.push({ method, path: apiPath, query, body, status, message, operationId, kind, at: p.state.now() });
  };

  if (url.pathname.startsWith('/_standin/') || url.pathname.startsWith('/_html/')) {
    const fault = p.faults.take(method, url.pathname);
    if (fault) return answer(faultResponse(fault));
    return answer(standInUrl(p.state, p.downloads, method, url));
  }

  if (badJson) {
    violation(400, 'Problems parsing JSON', 'spec');
    return answer(error(400, 'Problems parsing JSON'));
  }
  const v = validateRequest({ method, path: apiPath, query, body });
  if (!v.ok) {
    violation(v.status, v.message, 'spec', v.operationId);
    if (v.status === 404) return answer(json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' }));
    return answer(error(v.status, v.message, v.documentationUrl));
  }
  rec.operationId = v.operationId;
  const fault = p.faults.take(method, apiPath);
  if (fault) return answer(faultResponse(fault));

  const auth = authenticate(p.state, p.jwtNow, v.template, v.params, req.headers);
  if (!auth.ok) return answer(error(auth.status, auth.message));

  const installationId = auth.installationId;
  if (installationId !== undefined) {
    rec.installationId = installationId;
    if (p.rates.status(installationId).remaining === 0) {
      // GitHub refuses without acting once the hour's budget is spent (not counted again).
      const res = error(403, `API rate limit exceeded for installation ID ${installationId}.`, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api');
      return answer(withHeaders(res, p.rates.headers(installationId)));
    }
  }
  /** Counts an answered installation request and reports the budget left, as GitHub does on every answer. */
  const metered = (res: Response): Response => {
    if (installationId === undefined) return res;
    if (res.status !== 304) {
      p.rates.window(installationId).used += 1;
      rec.rateLimited = true;
    }
    return withHeaders(res, p.rates.headers(installationId));
  };

  const handler = handlers[v.operationId];
  if (!handler) {
    p.unimplemented.push(rec);
    return answer(metered(error(404, `Not Found (the stand-in does not implement ${v.operationId})`)));
  }
  const docs = v.documentationUrl;
  const ctx: RouteContext = {
    operationId: v.operationId,
    params: v.params,
    query,
    body: body ?? {},
    headers: req.headers,
    installationId: auth.installationId,
    documentationUrl: docs,
    url,
  };
  try {
    const reply = await handler(p.env, ctx);
    if (method === 'GET' && reply.status === 200) {
      // Conditional requests, as GitHub answers them: every 200 to a GET carries an ETag, and the
      // same ETag in If-None-Match gets 304 with no body (which the rate limit does not count).
      const etag = etagOf(reply);
      if (etagMatches(req.headers.get('if-none-match'), etag)) return answer(metered(json(304, undefined, { etag })));
      reply.headers = { ...(reply.headers ?? {}), etag };
    }
    return answer(metered(replyResponse(reply, p.state.now())));
  } catch (err) {
    if (err instanceof HttpError) {
      if (err.violation) violation(err.status, err.message, 'semantic', v.operationId);
      return answer(metered(error(err.status, err.message, docs, err.extra)));
    }
    console.error('stand-in handler failed:', err);
    return answer(metered(error(500, 'Server Error')));
  }
}
