import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { figures, requestsTo, startRig, type Rig } from '../support/rig';

let r: Rig;
let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'arm64-ci-outage-'));
  // Short store timeouts for an outage drill: fail fast, answer 503.
  r = await startRig({ dataDir, storeTimeouts: { connectionTimeout: 300, requestTimeout: 1_000 } });
});
afterEach(async () => {
  expect(r.gh.violations).toEqual([]);
  expect(r.gh.unimplemented).toEqual([]);
  await r.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const sha = (n: number) => n.toString(16).padStart(40, 'e');
const push = (n: number) => r.gh.events.pushEvent(r.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(n) });
const keysOf = (items: Record<string, unknown>[]) => items.map((i) => `${String(i.pk)}|${String(i.sk)}`).sort();

it('answers 503 to every webhook while DynamoDB is down, writes nothing, and redelivery brings each through once', async () => {
  for (const n of [1, 2]) expect((await r.send(push(n))).body).toEqual({ status: 'accepted' });
  const before = keysOf(await r.items());

  await r.stopStore();
  const OUTAGE_PUSHES = 12;
  const sent = await Promise.all(
    Array.from({ length: OUTAGE_PUSHES }, async (_, i) => {
      const t = performance.now();
      const res = await r.gh.deliver(push(100 + i));
      return { ...res, ms: performance.now() - t };
    }),
  );
  // One of them again under the same guid (a manual "Redeliver" in GitHub's UI during the outage).
  const again = await r.gh.deliver({ ...push(100), deliveryId: sent[0]!.deliveryId });
  const answers = [...sent, again];
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 503));
  // Within GitHub's 10 s, so GitHub logs our 503 rather than its own timeout.
  const slowest = Math.max(...sent.map((s) => s.ms));
  expect(slowest).toBeLessThan(10_000);

  // A scheduled tick during the outage cannot read its checkpoint: it fails and asks GitHub nothing.
  const [tick] = await r.tick();
  expect(tick).toMatchObject({ name: 'redelivery', ok: false });
  expect(requestsTo(r.gh, 'POST', /\/attempts$/)).toBe(0);
  await r.settle();
  expect(r.gh.dispatches).toHaveLength(2);

  await r.startStore();
  // The data written before the outage survived the restart, and nothing was half-written during it.
  expect(keysOf(await r.items())).toEqual(before);

  const pass = await r.redeliver();
  expect(pass.redelivered).toHaveLength(OUTAGE_PUSHES);
  expect(new Set(pass.redelivered)).toEqual(new Set(sent.map((s) => s.deliveryId)));
  await r.settle();

  const dispatched = r.gh.dispatches.map((d) => d.inputs.sha);
  expect(dispatched).toHaveLength(2 + OUTAGE_PUSHES);
  expect(new Set(dispatched).size).toBe(2 + OUTAGE_PUSHES);
  expect(r.gh.checkRuns('octo-org', 'widget')).toHaveLength(2 + OUTAGE_PUSHES);
  expect(r.queue.deadLetters).toEqual([]);
  // Everything is through: the next pass has nothing left.
  const after = await r.redeliver();
  expect(after).toMatchObject({ failed: 0, redelivered: [], complete: true });

  figures('store outage', {
    webhooksDuringOutage: answers.length,
    answered503: answers.filter((a) => a.status === 503).length,
    slowest503Ms: Math.round(slowest),
    itemsWrittenDuringOutage: 0,
    redelivered: pass.redelivered.length,
    distinctPushes: 2 + OUTAGE_PUSHES,
    dispatches: dispatched.length,
    lost: 2 + OUTAGE_PUSHES - new Set(dispatched).size,
  });
});
