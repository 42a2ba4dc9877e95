import type { Logger } from '../log';
import { metrics } from '../metrics/metrics';
import type { Queue, QueueMessage } from './queue';

export interface InProcessQueueOptions {
  process: (msg: QueueMessage) => Promise<void>;
  log: Logger;
  /** Attempts before a message is dead-lettered (SQS: maxReceiveCount). */
  maxAttempts?: number;
  /** Delay before retry n (1-based). */
  backoffMs?: (attempt: number) => number;
  /** Groups processed at once; within a group, one message at a time (as SQS FIFO). */
  concurrency?: number;
  /** Errors that can never succeed are dead-lettered at once. */
  isPermanent?: (err: unknown) => boolean;
}

export interface InProcessQueue extends Queue {
  /** Resolves once every message sent so far, retries included, has finished. */
  drain(): Promise<void>;
  readonly deadLetters: { message: QueueMessage; error: string }[];
  readonly processed: number;
  /** Messages waiting their turn, being processed, and waiting out a back-off before a retry. */
  busy(): { queued: number; inFlight: number; retrying: number };
  /** Stops taking work and resolves once the messages being processed have finished (at most 10 s). */
  close(): Promise<void>;
}

/**
 * The local stand-in for SQS FIFO: the webhook route returns as soon as a message is handed over,
 * messages of one group run in order, failures are retried with back-off and then dead-lettered.
 */
export function createInProcessQueue(opts: InProcessQueueOptions): InProcessQueue {
  const maxAttempts = opts.maxAttempts ?? 5;
  const backoff = opts.backoffMs ?? ((n: number) => Math.min(30_000, 200 * 2 ** (n - 1)));
  const concurrency = opts.concurrency ?? 8;
  const groups = new Map<string, QueueMessage[]>();
  const ready: string[] = [];
  let running = 0;
  let pending = 0;
  let processed = 0;
  let closed = false;
  const deadLetters: { message: QueueMessage; error: string }[] = [];
  let waiters: (() => void)[] = [];
  const timers = new Set<NodeJS.Timeout>();
  // Runs under way, so close() can wait for them before the store behind them goes away.
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  const settle = () => {
    if (pending === 0) {
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    }
  };

  const pump = () => {
    while (!closed && running < concurrency && ready.length) {
      const group = ready.shift()!;
      const msg = groups.get(group)![0]!;
      running++;
      track(runOne(group, msg, 1));
    }
  };

  const finishGroupHead = (group: string) => {
    const q = groups.get(group)!;
    q.shift();
    if (q.length) ready.push(group);
    else groups.delete(group);
  };

  const runOne = async (group: string, msg: QueueMessage, attempt: number): Promise<void> => {
    try {
      await opts.process(msg);
      processed++;
      finish(group);
    } catch (err) {
      const permanent = opts.isPermanent?.(err) ?? false;
      if (permanent || attempt >= maxAttempts || closed) {
        deadLetters.push({ message: msg, error: (err as Error)?.message ?? String(err) });
        if (permanent) metrics.count('poisonMessages');
        opts.log.error('message dead-lettered', { deliveryId: msg.deliveryId, event: msg.event, attempt, error: err });
        finish(group);
        return;
      }
      opts.log.warn('message failed, will retry', { deliveryId: msg.deliveryId, event: msg.event, attempt, error: err });
      // The group stays blocked while its head waits: order within a repository is kept.
      const t = setTimeout(() => {
        timers.delete(t);
        track(runOne(group, msg, attempt + 1));
      }, backoff(attempt));
      timers.add(t);
    }
  };

  const finish = (group: string) => {
    running--;
    pending--;
    finishGroupHead(group);
    pump();
    settle();
  };

  return {
    async send(message) {
      if (closed) throw new Error('queue is closed');
      pending++;
      const q = groups.get(message.groupId);
      if (q) q.push(message);
      else {
        groups.set(message.groupId, [message]);
        ready.push(message.groupId);
      }
      pump();
    },
    drain() {
      return pending === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r));
    },
    get deadLetters() {
      return deadLetters;
    },
    get processed() {
      return processed;
    },
    busy() {
      // A message waiting for its retry keeps its group's slot (`running`) and a timer.
      return { queued: pending - running, inFlight: running - timers.size, retrying: timers.size };
    },
    async close() {
      closed = true;
      timers.forEach((t) => clearTimeout(t));
      timers.clear();
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((r) => (timer = setTimeout(r, 10_000).unref()));
      await Promise.race([Promise.allSettled([...inFlight]), limit]);
      clearTimeout(timer);
    },
  };
}
