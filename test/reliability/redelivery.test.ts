import { describe, expect, it } from 'vitest';
import { getCheckpoint } from '../../src/store/checkpoints';
import { REDELIVERY_CHECKPOINT } from '../../src/redelivery/redeliver-failed';
import { figures, requestsTo, rigForEachTest, startRig, type Rig } from '../support/rig';

let r: Rig;
rigForEachTest(startRig, (rig) => (r = rig));

const repo = () => r.gh.repo('octo-org', 'widget');
const sha = (n: number) => n.toString(16).padStart(40, 'c');
const push = (n: number) => r.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(n) });
const ingest = (req: Request) => r.app.fetch(req);
const down = async () => new Response('{"error":"store unavailable, retry later"}', { status: 503 });
const attemptsAsked = () => requestsTo(r.gh, 'POST', /^\/app\/hook\/deliveries\/\d+\/attempts$/);
const dispatchedShas = () => r.gh.dispatches.map((d) => d.inputs.sha);

/** Delivers `n` pushes while the webhook endpoint answers 503; returns their guids. */
async function failedPushes(n: number, from = 1): Promise<string[]> {
  r.gh.webhookTarget = down;
  const guids: string[] = [];
  for (let i = from; i < from + n; i++) guids.push((await r.gh.deliver(push(i))).deliveryId);
  r.gh.webhookTarget = ingest;
  return guids;
}

describe('redelivery pass', () => {
  it('asks GitHub to redeliver each failed push once; each then dispatches once', async () => {
    const guids = await failedPushes(5);
    const first = await r.redeliver();
    expect([...first.redelivered].sort()).toEqual([...guids].sort());
    await r.settle();
    expect(dispatchedShas().sort()).toEqual([1, 2, 3, 4, 5].map(sha).sort());
    expect(r.queue.deadLetters).toEqual([]);
    // The redeliveries were logged as OK: nothing is left to do.
    const second = await r.redeliver();
    expect(second.redelivered).toEqual([]);
    expect(second.failed).toBe(0);
    expect(attemptsAsked()).toBe(5);
    // GitHub sent the same guids again, flagged as redeliveries.
    const redelivered = r.gh.deliveries.filter((d) => d.redelivery);
    expect(redelivered.map((d) => d.guid).sort()).toEqual([...guids].sort());
    expect(redelivered.every((d) => d.statusCode === 202)).toBe(true);
  });

  it('never redelivers a delivery we accepted, even when GitHub logged a failure for it', async () => {
    // We stored and queued it, but GitHub gave up waiting (a slow answer past its 10 s).
    r.gh.webhookTarget = async (req: Request) => {
      await ingest(req);
      return new Response('', { status: 504 });
    };
    await r.gh.deliver(push(1));
    r.gh.webhookTarget = ingest;
    await r.settle();
    expect(r.gh.deliveries[0]!.statusCode).toBe(504);
    const report = await r.redeliver();
    expect(report).toMatchObject({ failed: 1, accepted: 1, redelivered: [] });
    expect(attemptsAsked()).toBe(0);
    expect(r.gh.dispatches).toHaveLength(1);
  });

  it('leaves alone what we refused with a 4xx and events we do not act on', async () => {
    r.gh.webhookSecret = 'rotated-elsewhere';
    await r.gh.deliver(push(1)); // 401: same bytes, same answer
    r.gh.webhookSecret = 'test-webhook-secret';
    r.gh.webhookTarget = down;
    await r.gh.deliver(r.gh.events.pullRequestEvent(repo(), 'labeled', { number: 3, headSha: sha(3), headRef: 'x' }));
    r.gh.webhookTarget = ingest;
    const report = await r.redeliver();
    expect(report).toMatchObject({ failed: 2, refused: 1, ignored: 1, redelivered: [] });
    expect(attemptsAsked()).toBe(0);
  });

  it('redelivers each failed guid once when passes overlap (two redelivery passes and a whole tick, reconciler included)', async () => {
    const guids = await failedPushes(20);
    const [a, b, c] = await Promise.all([r.redeliver(), r.redeliver(), r.tick()]);
    expect(c.map((o) => [o.name, o.ok])).toEqual([
      ['redelivery', true],
      ['reconcile', true],
      ['installed-repos', true],
    ]);
    const fromTick = (c[0]!.result as { redelivered: string[] }).redelivered;
    const all = [...a.redelivered, ...b.redelivered, ...fromTick];
    expect(all).toHaveLength(20);
    expect(new Set(all)).toEqual(new Set(guids));
    expect(attemptsAsked()).toBe(20);
    await r.settle();
    expect(dispatchedShas()).toHaveLength(20);
    expect(new Set(dispatchedShas()).size).toBe(20);
    figures('concurrent passes', { redeliveryPasses: 3, reconcilerPasses: 1, failedGuids: 20, redeliveryRequests: attemptsAsked(), dispatches: r.gh.dispatches.length });
  });

  it('does not ask again while a redelivery is still in flight', async () => {
    await failedPushes(1);
    let release!: () => void;
    const held = new Promise<void>((res) => (release = res));
    r.gh.webhookTarget = async (req: Request) => {
      await held;
      return ingest(req);
    };
    expect((await r.redeliver()).redelivered).toHaveLength(1);
    const meanwhile = await r.redeliver();
    expect(meanwhile).toMatchObject({ inFlight: 1, redelivered: [], complete: false });
    release();
    await r.settle();
    expect(r.gh.dispatches).toHaveLength(1);
    expect(attemptsAsked()).toBe(1);
  });

  it('bounds each pass, and catches up over the next ones', async () => {
    await failedPushes(30);
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const report = await r.redeliver({ maxRedeliveries: 12, perPage: 7 });
      sizes.push(report.redelivered.length);
      if (i < 2) expect(report.complete).toBe(false);
      await r.settle();
    }
    expect(sizes).toEqual([12, 12, 6, 0]);
    expect(r.gh.dispatches).toHaveLength(30);
    expect(new Set(dispatchedShas()).size).toBe(30);
  });

  it('gives up on a delivery after three redeliveries that failed too', async () => {
    await failedPushes(1);
    r.gh.webhookTarget = down;
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      sizes.push((await r.redeliver()).redelivered.length);
      await r.settle();
    }
    expect(sizes).toEqual([1, 1, 1, 0]);
    expect(r.logs.some((l) => l.includes('still failing after redeliveries'))).toBe(true);
    expect(attemptsAsked()).toBe(3);
  });

  it('reads the log back to the look-back window, through cursor pages, and no further than the checkpoint', async () => {
    await failedPushes(3);
    r.clock.advance(31 * 60_000);
    const stale = await r.redeliver();
    expect(stale).toMatchObject({ examined: 0, redelivered: [], complete: true });

    await failedPushes(12, 10);
    const walked = await r.redeliver({ perPage: 5 });
    expect(walked.pages).toBe(3);
    expect(walked.redelivered).toHaveLength(12);
    await r.settle();
    r.clock.advance(5 * 60_000);
    const ok = await r.send(push(30));
    const done = await r.redeliver({ perPage: 5 });
    expect(done).toMatchObject({ examined: 25, failed: 0, complete: true });
    const cp = await getCheckpoint(r.store, REDELIVERY_CHECKPOINT);
    expect(cp?.deliveryId).toBe(r.gh.deliveries.find((d) => d.guid === ok.deliveryId)!.id);

    // Later, two new deliveries: the pass reads them and the checkpoint's own (within the
    // 2-minute overlap), then stops instead of re-reading the 24 before it.
    r.clock.advance(5 * 60_000);
    await r.send(push(40));
    await r.send(push(41));
    const next = await r.redeliver({ perPage: 5 });
    expect(next.examined).toBe(3);
    expect(next.pages).toBe(1);
  });

  it('after an outage longer than the look-back window, reads back to its checkpoint and misses nothing', async () => {
    await r.send(push(1));
    expect((await r.redeliver()).complete).toBe(true); // checkpoint at that delivery
    r.clock.advance(10 * 60_000);
    const guids = await failedPushes(4, 2);
    // Two hours in which no pass could run (the same outage stopped the scheduled function).
    r.clock.advance(2 * 60 * 60_000);
    const late = await r.redeliver();
    expect(new Set(late.redelivered)).toEqual(new Set(guids));
    await r.settle();
    expect(r.gh.dispatches).toHaveLength(5);
  });
});
