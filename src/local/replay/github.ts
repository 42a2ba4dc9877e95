import { listDeliveriesPage, type AppRequester, type HookDelivery } from '../../github/deliveries';
import type { Delivery } from './sources';

/** One delivery as GitHub logged it (`GET /app/hook/deliveries/{id}`): its headers and payload. */
export async function fetchDelivery(app: AppRequester, id: number): Promise<Delivery> {
  const { data } = await app.request('GET /app/hook/deliveries/{delivery_id}', { delivery_id: id });
  const d = data as { guid: string; event: string; request: { payload: unknown } };
  return { id: d.guid, event: d.event, payload: d.request.payload, source: `GitHub delivery ${id}` };
}

/**
 * The deliveries of the last `sinceMs` that never got a 2xx answer (every attempt of the same
 * guid failed), newest attempt of each, fetched with their payloads.
 */
export async function fetchFailedSince(app: AppRequester, sinceMs: number, now = new Date()): Promise<Delivery[]> {
  const floor = now.getTime() - sinceMs;
  const attempts: HookDelivery[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listDeliveriesPage(app, { perPage: 100, cursor });
    const inside = page.deliveries.filter((d) => d.deliveredAt.getTime() >= floor);
    attempts.push(...inside);
    if (inside.length < page.deliveries.length || !page.next) break;
    cursor = page.next;
  }
  const byGuid = new Map<string, HookDelivery[]>();
  for (const a of attempts) byGuid.set(a.guid, [...(byGuid.get(a.guid) ?? []), a]);
  const failed = [...byGuid.values()]
    .filter((list) => !list.some((a) => a.statusCode >= 200 && a.statusCode < 300))
    .map((list) => list.reduce((x, y) => (y.id > x.id ? y : x)))
    .sort((a, b) => a.deliveredAt.getTime() - b.deliveredAt.getTime() || a.id - b.id);
  const out: Delivery[] = [];
  for (const f of failed) out.push(await fetchDelivery(app, f.id));
  return out;
}

/** `24h`, `90m`, `3d`, `45s` → milliseconds; undefined when not such a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}
