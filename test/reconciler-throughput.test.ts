/**
 * The reconciler keeps up with 10,000 dispatches an hour (issue 14): a simulated hour of
 * dispatches on a fake clock, a pass every 5 minutes, and at the end nothing is due. Counts,
 * not times: how many dispatches each pass read, and that closed ones were never read again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monotonicFactory } from 'ulid';
import { createLogger } from '../src/log';
import { reconcile, type ReconcileReport } from '../src/reconcile/reconciler';
import { startDynalite, type EmbeddedDynamo } from '../src/local/dynalite';
import { dispatchItem, type DispatchItem } from '../src/store/dispatches';
import { batchPut, createDocumentClient, ensureTable, localClientConfig, type StoreContext } from '../src/store/dynamo';
import { openKey, ttlAfter } from '../src/store/keys';
import { closeOpen, dueOpenDispatches, type OpenDispatchItem } from '../src/store/open-dispatches';
import { progressOf } from '../src/core/progress';
import { testClock } from './support/world';

const MIN = 60_000;
const HOUR_DISPATCHES = 10_000;
const WINDOWS = 12; // one pass every 5 minutes

let dynamo: EmbeddedDynamo;
let store: StoreContext;
beforeAll(async () => {
  dynamo = await startDynalite();
  const doc = createDocumentClient(localClientConfig(dynamo.endpoint));
  store = { doc, table: 'throughput' };
  await ensureTable(doc, store.table);
});
afterAll(async () => {
  store.doc.destroy();
  await dynamo.close();
});

describe('reconciler throughput', () => {
  it('ends a burst of 10,000 dispatches in an hour with nothing due, reading only what was due', async () => {
    const clock = testClock();
    const ulid = monotonicFactory();
    let githubCalls = 0;
    const deps = {
      store,
      // Every dispatch here is settled by its item alone; a GitHub request would be a bug in the simulation.
      github: {
        forInstallation: async () => {
          githubCalls++;
          throw new Error('no GitHub in this simulation');
        },
      },
      log: createLogger({ level: 'error', write: () => {} }),
      now: clock.now,
      newId: () => ulid(clock.now().getTime()),
      publicUrl: 'https://ci.example',
      parseSmokeArtifact: async () => {
        throw new Error('unused');
      },
    };

    let live: { d: DispatchItem; endsIn: number; closes: boolean }[] = [];
    const reports: ReconcileReport[] = [];
    const perWindow = Math.ceil(HOUR_DISPATCHES / WINDOWS);
    let created = 0;
    for (let w = 0; w < WINDOWS + 4; w++) {
      // This window's dispatches, spread over its 5 minutes: each opens an item due at its dispatch timeout.
      const fresh: DispatchItem[] = [];
      const opens: OpenDispatchItem[] = [];
      for (let i = 0; i < perWindow && created < HOUR_DISPATCHES && w < WINDOWS; i++, created++) {
        const at = new Date(clock.now().getTime() + Math.floor((i / perWindow) * 5 * MIN));
        const d = dispatchItem({
          dispatchId: ulid(at.getTime()),
          repo: `octo-org/repo-${created % 100}`,
          installationId: 7,
          private: false,
          sha: created.toString(16).padStart(40, '0'),
          branch: 'main',
          pr: null,
          trigger: 'push',
          actor: null,
          deliveryId: `d-${created}`,
          workflow: 'arm64-ci.yml',
          ref: 'main',
          runnerLabels: ['self-hosted', 'arm64'],
          inputs: {},
          checkName: 'arm64 CI',
          checkRunId: created,
          state: 'in_progress',
          progress: progressOf('in_progress', 1),
          attempt: 1,
          conclusion: null,
          workflowRunId: created,
          workflowRunUrl: null,
          notes: [],
          createdAt: at.toISOString(),
          dispatchedAt: at.toISOString(),
          startedAt: at.toISOString(),
          completedAt: null,
          historyDays: 90,
        });
        fresh.push(d);
        opens.push({ pk: openKey(d.dispatchId), sk: d.dispatchId, repo: d.repo, dispatchId: d.dispatchId, dueAt: new Date(at.getTime() + 10 * MIN).toISOString(), attempt: 1, ttl: ttlAfter(at, 90) });
        // Most runs take minutes; one in ten takes 20 minutes (its events keep it from looking quiet);
        // one in twenty completes but the worker dies before closing its open item.
        live.push({ d, endsIn: created % 10 === 0 ? 4 : 1, closes: created % 20 !== 5 });
      }
      await batchPut(store, fresh);
      await batchPut(store, opens);

      // Five minutes pass: runs report progress, some complete (the worker records it and closes the item).
      clock.advance(5 * MIN);
      const now = clock.now().toISOString();
      const moved: DispatchItem[] = [];
      for (const r of live) {
        r.endsIn--;
        if (r.endsIn > 0) moved.push({ ...r.d, updatedAt: now });
        else if (r.endsIn === 0) moved.push({ ...r.d, state: 'completed', progress: progressOf('completed', 1), conclusion: 'success', completedAt: now, updatedAt: now });
      }
      await batchPut(store, moved);
      // Many workers complete runs at once: close in parallel (each close is the worker's one conditional delete).
      const closing = live.filter((r) => r.endsIn === 0 && r.closes);
      for (let i = 0; i < closing.length; i += 50) await Promise.all(closing.slice(i, i + 50).map((r) => closeOpen(store, r.d.dispatchId, 1)));
      live = live.filter((r) => r.endsIn > 0);

      reports.push(await reconcile(deps));
    }

    expect(created).toBe(HOUR_DISPATCHES);
    expect(githubCalls).toBe(0);
    // Nothing is left due, and nothing is left open: every dispatch completed.
    expect(await dueOpenDispatches(store, clock.now(), 100_000)).toEqual([]);
    clock.advance(60 * MIN);
    expect(await dueOpenDispatches(store, clock.now(), 100_000)).toEqual([]);
    // No pass hit its limit (so none left work behind), and passes read only due items: the
    // 9,500 closed at completion were never read, the 500 left open were each forgotten once.
    expect(Math.max(...reports.map((r) => r.due))).toBeLessThan(2_000);
    const read = reports.reduce((n, r) => n + r.due, 0);
    expect(reports.reduce((n, r) => n + r.forgotten, 0)).toBe(HOUR_DISPATCHES / 20);
    expect(reports.reduce((n, r) => n + r.failed + r.skipped, 0)).toBe(0);
    // The long runs are looked at when their dispatch timeout comes (and rescheduled), the unclosed ones once.
    expect(read).toBeLessThanOrEqual(HOUR_DISPATCHES / 10 + HOUR_DISPATCHES / 20);
    console.log(`[performance] reconciler: ${HOUR_DISPATCHES} dispatches in an hour, passes read ${read} due items in all (max ${Math.max(...reports.map((r) => r.due))} in one pass), backlog 0`);
  }, 600_000);

  it('closes an open dispatch when it completes, but not one a re-run re-opened meanwhile', async () => {
    const at = new Date('2026-11-25T12:00:00Z');
    const o = { repo: 'octo-org/widget', dispatchId: '01JRACE0000000000000000000', dueAt: at, ttl: ttlAfter(at, 1) };
    const { openDispatch, reopenDispatch } = await import('../src/store/open-dispatches');
    await openDispatch(store, o);
    // Attempt 2 re-opens before attempt 1's completion is processed (events out of order).
    await reopenDispatch(store, { ...o, attempt: 2 });
    expect(await closeOpen(store, o.dispatchId, 1)).toBe(false);
    expect((await dueOpenDispatches(store, at, 10)).map((i) => i.dispatchId)).toContain(o.dispatchId);
    expect(await closeOpen(store, o.dispatchId, 2)).toBe(true);
    expect((await dueOpenDispatches(store, at, 10)).map((i) => i.dispatchId)).not.toContain(o.dispatchId);
  });
});
