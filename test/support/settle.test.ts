import { afterEach, describe, expect, it } from 'vitest';
import { startGitHubStandIn, type GitHubStandIn } from '@arm64-ci/github-sim';
import { createLogger } from '../../src/log';
import { createInProcessQueue, type InProcessQueue, type InProcessQueueOptions } from '../../src/queue/in-process';
import { busyParts, settle } from './settle';
import { seedRepo, WEBHOOK_SECRET } from './world';

const log = createLogger({ level: 'error', write: () => undefined });
const sha = (n: number) => n.toString(16).padStart(40, '0');

/** A gate a test opens when it chooses: work that waits on it stays busy until then. */
function gate() {
  let open!: () => void;
  const closed = new Promise<void>((r) => (open = r));
  return { closed, open };
}

let gh: GitHubStandIn | null = null;
let queue: InProcessQueue | null = null;
afterEach(async () => {
  queue?.close();
  await gh?.close();
  gh = null;
  queue = null;
});

/** The real stand-in delivering to a real in-process queue, as in the rig, with our own processing. */
async function world(process: InProcessQueueOptions['process'], over: Partial<InProcessQueueOptions> = {}) {
  queue = createInProcessQueue({ process, log, backoffMs: () => 5, ...over });
  const q = queue;
  gh = await startGitHubStandIn({ repos: [seedRepo()], webhook: { secret: WEBHOOK_SECRET } });
  gh.webhookTarget = async (req: Request) => {
    await q.send({
      deliveryId: req.headers.get('x-github-delivery')!,
      event: req.headers.get('x-github-event')!,
      payload: await req.text(),
      receivedAt: new Date(0).toISOString(),
      groupId: 'octo-org/widget',
    });
    return new Response('{"status":"accepted"}', { status: 202 });
  };
  return { gh, queue };
}

describe('settle', () => {
  it('waits for work that hops back and forth between the queue and the stand-in until none is left', async () => {
    // Each message makes "GitHub" deliver the next webhook in the background, as a dispatch makes
    // the stand-in play a run and deliver its events: six hops, each seen only after the last. The
    // worker reads the store before it calls GitHub, so for a moment both sides look idle.
    const HOPS = 6;
    const seen: string[] = [];
    const w = await world(async (msg) => {
      seen.push(msg.deliveryId);
      await new Promise((r) => setTimeout(r, 1));
      if (seen.length < HOPS) void gh!.deliver(gh!.events.pushEvent('octo-org/widget', { ref: 'main', after: sha(seen.length) }));
    });
    await w.gh.deliver(w.gh.events.pushEvent('octo-org/widget', { ref: 'main', after: sha(0) }));

    await settle(w);

    expect(seen).toHaveLength(HOPS);
    expect(w.queue.processed).toBe(HOPS);
    expect(busyParts(w)).toEqual([]);
  });

  it('waits out a retry’s back-off', async () => {
    let attempts = 0;
    const w = await world(
      async () => {
        if (++attempts < 3) throw new Error('GitHub is having a moment');
      },
      { backoffMs: () => 30 },
    );
    await w.gh.deliver(w.gh.events.pushEvent('octo-org/widget', { ref: 'main', after: sha(1) }));
    await settle(w);
    expect(attempts).toBe(3);
    expect(w.queue.processed).toBe(1);
  });

  it('names a message still in flight when nothing moves', async () => {
    const g = gate();
    const w = await world(() => g.closed);
    await w.gh.deliver(w.gh.events.pushEvent('octo-org/widget', { ref: 'main', after: sha(1) }));
    await expect(settle(w, { stallMs: 50 })).rejects.toThrow('settle: still busy after 50 ms without progress: 1 message in flight');
    g.open();
    await settle(w);
    expect(w.queue.processed).toBe(1);
  });

  it('names queued messages and a pending retry', async () => {
    const w = await world(
      async () => {
        throw new Error('down');
      },
      { backoffMs: () => 60_000, concurrency: 1 },
    );
    const q = w.queue;
    for (const [n, groupId] of [
      [1, 'a'],
      [2, 'b'],
    ] as const) {
      await q.send({ deliveryId: `d${n}`, event: 'push', payload: '{}', receivedAt: new Date(0).toISOString(), groupId });
    }
    await expect(settle(w, { stallMs: 50 })).rejects.toThrow('without progress: 1 queued message, 1 retry timer pending');
  });

  it('names background work in the stand-in, such as a webhook delivery not answered yet', async () => {
    const g = gate();
    const w = await world(async () => undefined);
    w.gh.webhookTarget = async () => {
      await g.closed;
      return new Response(null, { status: 202 });
    };
    const delivery = w.gh.deliver(w.gh.events.pushEvent('octo-org/widget', { ref: 'main', after: sha(1) }));
    await expect(settle(w, { stallMs: 50 })).rejects.toThrow('without progress: 1 GitHub stand-in task pending (webhook deliveries, auto-played runs)');
    g.open();
    await delivery;
    await settle(w);
    expect(busyParts(w)).toEqual([]);
  });
});
