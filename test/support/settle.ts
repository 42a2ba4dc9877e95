/**
 * Waiting until the world is idle: no message queued, in flight or waiting to be retried in the
 * in-process queue, and no background work (webhook deliveries, auto-played runs) in the GitHub
 * stand-in. Work hops between the two (a message makes the worker call GitHub, the stand-in then
 * delivers a webhook, which queues a message), so both are checked together until neither has
 * anything left; one round of each can return while the next hop is already on its way.
 */
import type { InProcessQueue } from '../../src/queue/in-process';

export interface SettleParts {
  queue: Pick<InProcessQueue, 'drain' | 'busy' | 'processed' | 'deadLetters'>;
  /** The GitHub stand-in, or anything that tracks background work the same way. */
  gh: { settled(): Promise<void>; readonly pendingWork: number };
}

export interface SettleOptions {
  /**
   * Give up, naming what is still busy, when nothing finished for this long. Default 25 s: just
   * under a test's 30 s timeout (vitest.config.ts), so a stuck test says what is stuck; a single
   * message may take many seconds on a loaded machine (a 10,000-case JUnit file).
   */
  stallMs?: number;
}

/** What is still busy, in words; empty when idle. */
export function busyParts(parts: SettleParts): string[] {
  const { queued, inFlight, retrying } = parts.queue.busy();
  const out: string[] = [];
  if (queued > 0) out.push(`${queued} queued ${queued === 1 ? 'message' : 'messages'}`);
  if (inFlight > 0) out.push(`${inFlight} ${inFlight === 1 ? 'message' : 'messages'} in flight`);
  if (retrying > 0) out.push(`${retrying} retry ${retrying === 1 ? 'timer' : 'timers'} pending`);
  const gh = parts.gh.pendingWork;
  if (gh > 0) out.push(`${gh} GitHub stand-in ${gh === 1 ? 'task' : 'tasks'} pending (webhook deliveries, auto-played runs)`);
  return out;
}

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function settle(parts: SettleParts, opts: SettleOptions = {}): Promise<void> {
  const stallMs = opts.stallMs ?? 25_000;
  const done = () => parts.queue.processed + parts.queue.deadLetters.length;
  let mark = { done: done(), busy: '', at: Date.now() };
  for (;;) {
    const busy = busyParts(parts);
    if (busy.length === 0) {
      // Idle now; let callbacks of what just finished run (they may start the next hop), then look again.
      await tick();
      if (busyParts(parts).length === 0) return;
      continue;
    }
    const state = busy.join(', ');
    if (done() !== mark.done || state !== mark.busy) mark = { done: done(), busy: state, at: Date.now() };
    else if (Date.now() - mark.at >= stallMs) {
      throw new Error(`settle: still busy after ${stallMs} ms without progress: ${state}`);
    }
    // Wake as soon as both are idle, or after a while to look for progress.
    await Promise.race([Promise.all([parts.gh.settled(), parts.queue.drain()]), sleep(Math.min(100, stallMs))]);
  }
}
