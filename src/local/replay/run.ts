import { SingleBar } from 'cli-progress';
import { sendDelivery, webhooksFor, type Sent } from './send';
import type { Delivery } from './sources';

export interface ReplayOptions {
  /** The webhook route: `http://127.0.0.1:3000/api/github/webhooks`. */
  url: string;
  secret: string;
  /** Where the progress bar goes (stderr in the CLI); none in tests. */
  progress?: NodeJS.WritableStream;
  /** How long to wait for the worker's outcome of accepted deliveries. Default 30 s. */
  workerWaitMs?: number;
}

/**
 * Sends the deliveries one after the other (in order, as GitHub would have), then asks the local
 * server what its worker did with each accepted one (GET /_local/deliveries/:id).
 */
export async function replay(deliveries: Delivery[], opts: ReplayOptions): Promise<Sent[]> {
  const webhooks = webhooksFor(opts.secret);
  const bar = opts.progress
    ? new SingleBar({ stream: opts.progress, format: 'replaying [{bar}] {value}/{total} {event}', hideCursor: true, clearOnComplete: true })
    : null;
  bar?.start(deliveries.length, 0, { event: '' });
  const sent: Sent[] = [];
  for (const d of deliveries) {
    sent.push(await sendDelivery(opts.url, webhooks, d));
    bar?.increment(1, { event: `${d.event} ${d.id}` });
  }
  bar?.stop();
  const base = new URL(opts.url).origin;
  const deadline = Date.now() + (opts.workerWaitMs ?? 30_000);
  for (const s of sent.filter((x) => x.outcome === 'accepted')) s.worker = await workerOutcome(base, s.delivery.id, deadline);
  return sent;
}

async function workerOutcome(base: string, id: string, deadline: number): Promise<string> {
  for (;;) {
    let res: Response;
    try {
      res = await fetch(`${base}/_local/deliveries/${encodeURIComponent(id)}`);
    } catch {
      return '(not reported by this server)';
    }
    if (res.status === 404) {
      // Our local server's 404 means "not seen yet"; any other server does not report at all.
      const known = ((await res.json().catch(() => ({}))) as { error?: string }).error?.startsWith('no such delivery');
      if (!known || Date.now() >= deadline) return '(not reported by this server)';
    }
    if (res.ok) {
      const e = (await res.json()) as { state: string; lines: string[] };
      if (e.state !== 'working' || Date.now() >= deadline) {
        const what = e.lines.join('; ');
        if (e.state === 'processed') return what ? `done: ${what}` : 'done';
        if (e.state === 'dead-lettered') return `failed: ${what}`;
        return `still working: ${what}`;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The per-delivery table the CLI prints. */
export function outcomeTable(sent: Sent[]): string {
  const rows = sent.map((s) => [s.delivery.event, s.delivery.id, s.outcome + (s.status && s.status !== 202 ? ` (${s.status})` : ''), s.detail || s.worker || '', s.delivery.source]);
  const head = ['event', 'delivery', 'outcome', 'what happened', 'source'];
  const widths = head.map((h, i) => Math.min(Math.max(h.length, ...rows.map((r) => r[i]!.length)), i === 3 ? 70 : 60));
  const line = (cells: string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const counts = (['accepted', 'duplicate', 'ignored', 'rejected'] as const).map((o) => `${sent.filter((s) => s.outcome === o).length} ${o}`).join(', ');
  return [line(head), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line), '', `${sent.length} deliveries: ${counts}`].join('\n');
}
