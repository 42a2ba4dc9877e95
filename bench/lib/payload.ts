import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

export const SECRET = 'bench-webhook-secret';
export const WEBHOOK_PATH = '/api/github/webhooks';

interface Example {
  name: string;
  examples: Record<string, unknown>[];
}

/**
 * A real `push` delivery from @octokit/webhooks-examples, unchanged: of its examples, the one
 * closest to 7 KiB as compact JSON (GitHub sends compact JSON).
 */
export function pushBody(): string {
  const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Example[];
  const push = examples.find((e) => e.name === 'push')!.examples.map((e) => JSON.stringify(e));
  return push.reduce((best, b) => (Math.abs(b.length - 7168) < Math.abs(best.length - 7168) ? b : best));
}

export const signature = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export function headersFor(body: string, deliveryId = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    // GitHub always sends it; Hono's body limit then needs no second pass over the body.
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': 'GitHub-Hookshot/bench',
    'x-github-event': 'push',
    'x-github-delivery': deliveryId,
    'x-github-hook-id': '1',
    'x-hub-signature-256': signature(body),
  };
}

export const webhookRequest = (body: string, base = 'http://bench.local') =>
  new Request(`${base}${WEBHOOK_PATH}`, { method: 'POST', headers: headersFor(body), body });
