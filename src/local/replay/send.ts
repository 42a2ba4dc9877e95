import { Webhooks } from '@octokit/webhooks';
import type { Delivery } from './sources';

export type Outcome = 'accepted' | 'duplicate' | 'ignored' | 'rejected';

export interface Sent {
  delivery: Delivery;
  outcome: Outcome;
  /** The route's HTTP status (0: no answer). */
  status: number;
  /** Why it was rejected (the route's error), or empty. */
  detail: string;
  /** What the worker did, when the server says (the local server does). */
  worker?: string;
}

/** Sends one delivery to the webhook route as GitHub would: same headers, body signed with the secret. */
export async function sendDelivery(url: string, webhooks: Webhooks, d: Delivery): Promise<Sent> {
  const body = JSON.stringify(d.payload);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/arm64-ci-replay',
        'x-github-event': d.event,
        'x-github-delivery': d.id,
        'x-hub-signature-256': await webhooks.sign(body),
      },
      body,
    });
  } catch (err) {
    return { delivery: d, outcome: 'rejected', status: 0, detail: `no answer: ${(err as Error).message}` };
  }
  const text = await res.text();
  let json: { status?: string; error?: string; message?: string } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // not JSON: keep the text as the detail
  }
  const status = json.status;
  if (res.status === 202 && (status === 'accepted' || status === 'duplicate' || status === 'ignored')) {
    return { delivery: d, outcome: status, status: res.status, detail: '' };
  }
  return { delivery: d, outcome: 'rejected', status: res.status, detail: json.error ?? json.message ?? text.slice(0, 200) };
}

export function webhooksFor(secret: string): Webhooks {
  return new Webhooks({ secret });
}
