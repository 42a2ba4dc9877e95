import type { components } from '@octokit/openapi-types';

/** What the App's webhook delivery log says about one attempt (GET /app/hook/deliveries). */
export interface HookDelivery {
  /** Id of this attempt; a redelivery is a new attempt with a new id and the same guid. */
  id: number;
  /** X-GitHub-Delivery: the same for every attempt of one event. */
  guid: string;
  deliveredAt: Date;
  redelivery: boolean;
  /** Our answer's status; 0 when GitHub got none (timeout, connection refused). */
  statusCode: number;
  event: string;
  action: string | null;
}

/** Anything that can make App-JWT requests: `createGitHubClients(...).app.octokit`. */
export interface AppRequester {
  request(route: string, params?: Record<string, unknown>): Promise<{ data: unknown; headers: Record<string, string | number | undefined> }>;
}

type Item = components['schemas']['hook-delivery-item'];

/**
 * One page of the App's deliveries, newest first, and the cursor of the next (older) page.
 * GitHub paginates this log by an opaque cursor carried in the Link header, not by page number.
 */
export async function listDeliveriesPage(
  app: AppRequester,
  p: { perPage: number; cursor?: string | null },
): Promise<{ deliveries: HookDelivery[]; next: string | null }> {
  const r = await app.request('GET /app/hook/deliveries', {
    per_page: p.perPage,
    ...(p.cursor ? { cursor: p.cursor } : {}),
  });
  const items = Array.isArray(r.data) ? (r.data as Item[]) : [];
  return {
    deliveries: items.map((d) => ({
      id: Number(d.id),
      guid: d.guid,
      deliveredAt: new Date(d.delivered_at),
      redelivery: d.redelivery,
      statusCode: d.status_code,
      event: d.event,
      action: d.action ?? null,
    })),
    next: nextCursor(typeof r.headers.link === 'string' ? r.headers.link : undefined),
  };
}

/** The `cursor` of the `rel="next"` link, or null on the last page. */
function nextCursor(link: string | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (!m) continue;
    try {
      return new URL(m[1]!).searchParams.get('cursor');
    } catch {
      return null;
    }
  }
  return null;
}

/** Asks GitHub to send an attempt's payload again (same guid); GitHub answers 202 and delivers it shortly after. */
export async function redeliverDelivery(app: AppRequester, deliveryId: number): Promise<void> {
  await app.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: deliveryId });
}
