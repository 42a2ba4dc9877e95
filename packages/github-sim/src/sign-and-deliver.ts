/**
 * Delivering a webhook the way GitHub does: serialized once, signed (X-Hub-Signature-256), POSTed
 * with GitHub's headers and logged like GitHub's delivery log.
 */
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type { DeliveryRecord } from './records';
import type { StandInState } from './state';

type Obj = Record<string, any>;

/** An event ready to deliver. */
export interface WebhookEvent {
  event: string;
  payload: Obj;
  /** X-GitHub-Delivery; a random UUID when absent. */
  deliveryId?: string;
}

export type FetchLike = (req: Request) => Promise<Response> | Response;
/**
 * Where deliveries go: a URL, a fetch-like function (e.g. a Hono app's `fetch`; it receives a
 * Request for http://127.0.0.1/api/github/webhooks), or both a function and the URL to give it.
 */
export type WebhookTarget = string | FetchLike | { fetch: FetchLike; url: string };

export interface DeliveryResult {
  /** The X-GitHub-Delivery guid. */
  deliveryId: string;
  /** The delivery-log id (what `POST /app/hook/deliveries/{delivery_id}/attempts` takes). */
  id: number;
  /** The target's HTTP status, or 0 when it could not be reached. */
  status: number;
  body: string;
}

export const DEFAULT_HOOK_URL = 'http://127.0.0.1/api/github/webhooks';
/** GitHub gives up on a delivery after 10 seconds. */
const DELIVERY_TIMEOUT_MS = 10_000;

export interface SignAndDeliverOptions extends WebhookEvent {
  secret: string;
  redelivery?: boolean;
  /** Appends the attempt to this state's delivery log (served by `GET /app/hook/deliveries`). */
  state?: StandInState;
  /** Send these exact bytes instead of serializing `payload` (a redelivery resends the original). */
  rawBody?: string;
}

/** Serializes once, signs, POSTs to the target and logs the attempt. Never throws for target failures. */
export async function signAndDeliver(target: WebhookTarget, opts: SignAndDeliverOptions): Promise<DeliveryResult> {
  const body = opts.rawBody ?? JSON.stringify(opts.payload);
  const guid = opts.deliveryId ?? randomUUID();
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/stand-in',
    'x-github-event': opts.event,
    'x-github-delivery': guid,
    'x-github-hook-id': '1',
    'x-github-hook-installation-target-type': 'integration',
    'x-hub-signature-256': await sign(opts.secret, body),
  };
  const started = performance.now();
  let status = 0;
  let text = '';
  let failure: string | undefined;
  try {
    const init: RequestInit = { method: 'POST', headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) };
    let res: Response;
    if (typeof target === 'string') res = await fetch(target, init);
    else if (typeof target === 'function') res = await target(new Request(DEFAULT_HOOK_URL, init));
    else res = await target.fetch(new Request(target.url, init));
    status = res.status;
    text = await res.text();
  } catch (err) {
    failure = (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message;
  }
  const duration = Math.round(performance.now() - started) / 1000;
  const payload = opts.payload ?? (JSON.parse(body) as Obj);
  const state = opts.state;
  const record: DeliveryRecord = {
    id: state ? state.nextId('delivery') : 0,
    guid,
    deliveredAt: state ? state.now() : new Date(),
    redelivery: opts.redelivery ?? false,
    duration,
    status: failure
      ? `We couldn't deliver this payload: ${failure}`
      : status >= 200 && status < 300
        ? 'OK'
        : `Invalid HTTP Response: ${status}`,
    statusCode: status,
    event: opts.event,
    action: typeof payload.action === 'string' ? payload.action : null,
    installationId: typeof payload.installation?.id === 'number' ? payload.installation.id : null,
    repositoryId: typeof payload.repository?.id === 'number' ? payload.repository.id : null,
    payload: body,
    responseBody: text,
  };
  state?.deliveries.push(record);
  return { deliveryId: guid, id: record.id, status, body: text };
}
