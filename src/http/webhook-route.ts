import { Webhooks } from '@octokit/webhooks';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { compactPayload } from '../core/compact';
import { classifyEvent } from '../core/events';
import { registerSecret } from '../log';
import { metrics } from '../metrics/metrics';
import type { RejectReason } from '../metrics/catalog';
import { MAX_QUEUE_PAYLOAD_BYTES } from '../queue/queue';
import type { HttpDeps } from './deps';
import type { WebhookStore } from './webhook-store';
import { repoNameOf } from '../core/repo-name';
import { correlationKeys } from '../worker/correlation';

/** What the webhook route needs: the store's intake writes (./webhook-store.ts), the queue, the secret. */
export type WebhookDeps = Pick<HttpDeps, 'queue' | 'webhookSecret' | 'log' | 'now'> & { intake: WebhookStore };

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;

const answer = (c: Context, status: 202 | 400 | 401 | 413 | 503, body: Record<string, string>) => c.json(body, status);

/** The rejection's metric dimension: a few fixed values (the answer's text says more). */
const REJECT_REASON: Record<400 | 401 | 413 | 503, RejectReason> = { 400: 'bad_request', 401: 'signature', 413: 'too_large', 503: 'store_unavailable' };

/**
 * A body of unknown length (chunked, or no Content-Length), read until it ends or passes `max`
 * bytes — then reading stops, at most one chunk past the limit, and null is returned. The rest is
 * never read into memory (the Node server discards what is still in flight after the answer).
 */
async function readAtMost(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks, size);
      size += value.byteLength;
      if (size > max) return null;
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The repository a delivery says is private: any event (handled or not) with
 * `repository.private: true` closes it at once, before the answer, should the store still think
 * it public (a `repository.privatized` we missed, or one still queued).
 */
function privateRepoOf(payload: object): string | null {
  const repo = (payload as { repository?: { private?: unknown; full_name?: unknown } | null }).repository;
  if (!repo || typeof repo !== 'object' || repo.private !== true || typeof repo.full_name !== 'string') return null;
  return repoNameOf(repo.full_name);
}

/**
 * POST /api/github/webhooks: verify, de-duplicate, enqueue — nothing slower. GitHub gives a
 * delivery 10 s and never retries by itself, so every anticipated failure gets a precise status
 * and the store is left unchanged unless the delivery was handed to the worker.
 */
export function webhookRoute(deps: WebhookDeps): Hono {
  const route = new Hono();
  let verifier: { secret: string; webhooks: Webhooks } | null = null;
  const webhooks = async () => {
    const secret = await deps.webhookSecret();
    if (verifier?.secret !== secret) {
      registerSecret(secret);
      verifier = { secret, webhooks: new Webhooks({ secret }) };
    }
    return verifier.webhooks;
  };

  /** A refusal: counted by reason, and a line that says why (a wrong secret shows here first). */
  const reject = (c: Context, status: 400 | 401 | 413 | 503, error: string, reason: RejectReason = REJECT_REASON[status]) => {
    metrics.count('webhooksRejected', reason);
    deps.log.warn('webhook rejected', {
      status,
      reason: error,
      deliveryId: c.req.header('x-github-delivery'),
      event: c.req.header('x-github-event'),
    });
    return answer(c, status, { error });
  };
  const tooLarge = (c: Context) => reject(c, 413, `payload larger than ${MAX_WEBHOOK_BYTES} bytes`);

  route.post(
    '/',
    async (c, next) => {
      // GitHub always sends Content-Length: an over-long body is refused on it, unread. Within the
      // limit the body is read as usual (Node's parser stops at the declared length), without a look
      // at `c.req.raw.body`, which makes @hono/node-server build a whole web Request per delivery
      // (a quarter of a millisecond of CPU, bench/).
      const length = c.req.header('content-length');
      if (length !== undefined && /^\d+$/.test(length) && !c.req.header('transfer-encoding')) {
        return Number(length) > MAX_WEBHOOK_BYTES ? tooLarge(c) : next();
      }
      // No usable Content-Length (chunked): read at most the limit.
      const stream = c.req.raw.body;
      if (!stream) return next();
      const body = await readAtMost(stream, MAX_WEBHOOK_BYTES);
      if (!body) return tooLarge(c);
      c.req.raw = new Request(c.req.raw, { body: body as Uint8Array<ArrayBuffer> });
      return next();
    },
    async (c) => {
      const signature = c.req.header('x-hub-signature-256');
      const event = c.req.header('x-github-event');
      const deliveryId = c.req.header('x-github-delivery');
      const body = await c.req.text();

      // @octokit/webhooks throws on an empty signature: a missing header is answered before it is asked.
      if (!signature || !signature.startsWith('sha256=')) {
        return reject(c, 401, 'missing or malformed X-Hub-Signature-256');
      }
      // Nothing to verify or act on; @octokit/webhooks refuses an empty payload outright.
      if (body.length === 0) return reject(c, 400, 'empty body');
      let valid = false;
      try {
        valid = await (await webhooks()).verify(body, signature);
      } catch {
        valid = false;
      }
      if (!valid) return reject(c, 401, 'signature does not match the payload');

      if (!event || !EVENT_NAME.test(event)) return reject(c, 400, 'missing or invalid X-GitHub-Event');
      if (!deliveryId || !DELIVERY_ID.test(deliveryId)) {
        return reject(c, 400, 'missing or invalid X-GitHub-Delivery');
      }
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch (err) {
        return reject(c, 400, `body is not valid JSON: ${(err as Error).message}`);
      }
      if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
        return reject(c, 400, 'body must be a JSON object');
      }

      const hidden = privateRepoOf(payload);
      if (hidden) {
        try {
          if (await deps.intake.hideRepo(hidden, deps.now())) deps.log.info('repository turned private: closed', { deliveryId, event, repo: hidden });
        } catch (err) {
          deps.log.error('store unavailable: delivery refused', { deliveryId, event, error: err });
          return reject(c, 503, 'store unavailable, retry later');
        }
      }

      const cls = classifyEvent(event, payload);
      // Every line of this delivery's intake carries its keys.
      const log = deps.log.child({ deliveryId, event, ...correlationKeys(event, payload) });
      if (!cls.handled) {
        log.info(`ignored: ${cls.reason}`, { reason: cls.reason });
        return answer(c, 202, { status: 'ignored', reason: cls.reason });
      }

      const compact = compactPayload(event, body, payload, MAX_QUEUE_PAYLOAD_BYTES);
      if (!compact.ok) {
        log.error('delivery too large for the queue', { reason: compact.reason });
        return reject(c, 413, compact.reason);
      }

      const now = deps.now();
      let seen: 'new' | 'duplicate';
      try {
        seen = await deps.intake.recordDelivery({ deliveryId, event, now });
      } catch (err) {
        log.error('store unavailable: delivery refused', { error: err });
        return reject(c, 503, 'store unavailable, retry later');
      }
      if (seen === 'duplicate') {
        metrics.count('webhooksDuplicate');
        log.info('ignored: duplicate delivery (this delivery id was already accepted)');
        return answer(c, 202, { status: 'duplicate' });
      }

      const repo = (payload as { repository?: { full_name?: unknown } }).repository?.full_name;
      const installation = (payload as { installation?: { id?: unknown } }).installation?.id;
      try {
        await deps.queue.send({
          deliveryId,
          event,
          payload: compact.text,
          receivedAt: now.toISOString(),
          groupId: typeof repo === 'string' ? repo.toLowerCase() : `installation:${String(installation ?? 'none')}`,
        });
      } catch (err) {
        // Undo the de-duplication record so GitHub's redelivery of this guid is not taken for a duplicate.
        await deps.intake.forgetDelivery(deliveryId).catch((e) => log.error('could not forget delivery', { error: e }));
        log.error('queue unavailable: delivery refused', { error: err });
        return reject(c, 503, 'queue unavailable, retry later', 'queue_unavailable');
      }
      metrics.count('webhooksAccepted');
      log.info('accepted', { compacted: compact.compacted });
      return answer(c, 202, { status: 'accepted' });
    },
  );
  return route;
}
