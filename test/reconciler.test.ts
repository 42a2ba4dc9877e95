import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { GitHubClients } from '../src/github/client';
import { createLogger } from '../src/log';
import { reconcilePass } from '../src/reconcile/pass';
import type { ReconcileReport } from '../src/reconcile/reconciler';
import { useMetrics } from '../src/metrics/metrics';
import { CONFIG, PUBLIC_URL, seedRepo, startHarness, type Harness } from './support/harness';
import { recordingMetrics } from './support/recording-metrics';

let h: Harness;
afterEach(async () => {
  useMetrics(null);
  expect(h.gh.violations).toEqual([]);
  expect(h.gh.unimplemented).toEqual([]);
  await h.close();
});

const MIN = 60_000;
const LABELS = ['self-hosted', 'arm64', 'dgx'];
const REPO = 'octo-org/widget';
const sha = (n: number) => n.toString(16).padStart(40, 'c');
const checks = () => h.gh.checkRuns('octo-org', 'widget');
const runs = () => h.gh.workflowRuns('octo-org', 'widget');
const patches = (i = 0) => checks()[i]!.history.filter((e) => e.method === 'PATCH').length;
const push = (after: string, branch = 'main') =>
  h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: `refs/heads/${branch}`, after }));

/** The scheduled pass exactly as the Lambda and the local server run it. */
const pass = async (): Promise<ReconcileReport> =>
  (await reconcilePass().run({
    store: h.store,
    github: h.deps.github as GitHubClients,
    log: createLogger({ level: 'error', write: () => {} }),
    now: h.clock.now,
    publicUrl: PUBLIC_URL,
  })) as unknown as ReconcileReport;

/** GitHub changes state without telling us: what a lost webhook looks like from here. */
async function silently<T>(change: () => Promise<T>): Promise<T> {
  const target = h.gh.webhookTarget;
  h.gh.webhookTarget = undefined;
  try {
    return await change();
  } finally {
    h.gh.webhookTarget = target;
  }
}

const forgetPointer = (runId: number) =>
  h.store.doc.send(new DeleteCommand({ TableName: h.store.table, Key: { pk: `WFRUN#${runId}`, sk: 'WFRUN' } }));
const pointer = async (runId: number) =>
  (await h.store.doc.send(new GetCommand({ TableName: h.store.table, Key: { pk: `WFRUN#${runId}`, sk: 'WFRUN' } }))).Item;
const openItems = async () => (await h.items()).filter((i) => i.pk === 'OPEN');

async function startedRun() {
  const run = runs().at(-1)!;
  await h.gh.requestRun(run.id);
  await h.gh.startRun(run.id);
  const job = await h.gh.queueJob(run.id, { name: 'smoke', labels: LABELS });
  await h.gh.startJob(job.id, { runnerName: 'dgx-01' });
  await h.settle();
  return { run, job };
}

describe('the reconciler', () => {
  it('adopts a dispatched run whose workflow_run events never came', async () => {
    h = await startHarness();
    await push(sha(1));
    const run = runs()[0]!;
    await forgetPointer(run.id);
    await silently(() => h.gh.startRun(run.id));

    // Not before dispatch_timeout_minutes (10).
    h.clock.advance(9 * MIN);
    expect(await pass()).toMatchObject({ due: 0, adopted: 0 });
    expect(patches()).toBe(0);

    h.clock.advance(2 * MIN);
    expect(await pass()).toMatchObject({ adopted: 1, lost: 0 });
    await h.settle();
    expect(await pointer(run.id)).toMatchObject({ dispatchId: checks()[0]!.externalId });
    expect(checks()[0]!.status).toBe('in_progress');
    expect(checks()[0]!.output.summary).toContain(`found [run ${run.id}]`);

    // From here on the run is followed as usual.
    await h.gh.completeRun(run.id, 'success');
    await h.settle();
    expect(checks()[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  it('fails a lost dispatch (accepted, but its run is gone) with a Re-run action, saying what was dispatched and when', async () => {
    h = await startHarness();
    await push(sha(2));
    h.gh.deleteRun(runs()[0]!.id);
    h.clock.advance(11 * MIN);
    expect(await pass()).toMatchObject({ lost: 1, adopted: 0 });
    await h.settle();

    const check = checks()[0]!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.actions).toEqual([expect.objectContaining({ label: 'Re-run arm64', identifier: 'rerun' })]);
    expect(check.output.summary).toContain('Dispatch lost: `arm64-ci.yml` on `main`');
    expect(check.output.summary).toContain('was dispatched at 2026-11-25 12:00 UTC');
    expect(check.output.summary).toContain(sha(2).slice(0, 7));
    expect(patches()).toBe(1);

    // Done with: the open index forgot it and a later pass asks GitHub nothing.
    expect(await openItems()).toEqual([]);
    const before = h.gh.requests.length;
    h.clock.advance(60 * MIN);
    expect(await pass()).toMatchObject({ due: 0 });
    expect(h.gh.requests.length).toBe(before);
  });

  it('cancels a run in progress past timeout_minutes and completes the check run as timed_out', async () => {
    h = await startHarness();
    await push(sha(3));
    const { run } = await startedRun();
    expect(checks()[0]!.status).toBe('in_progress');

    h.clock.advance(361 * MIN);
    expect(await pass()).toMatchObject({ timedOut: 1 });
    expect(h.gh.state.cancelled.map((c) => c.runId)).toEqual([run.id]);
    // GitHub then reports the cancellation (workflow_run completed, cancelled): it must not undo the verdict.
    await h.settle();
    const check = checks()[0]!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'timed_out' });
    expect(check.output.summary).toContain('Timed out: the run was still running 6h 00m after its dispatch');
    expect(check.output.title).toBe('arm64: timed out');
    expect(check.actions).toEqual([expect.objectContaining({ identifier: 'rerun' })]);
  });

  it('repairs a run whose completed event never came, and leaves a quietly running one alone', async () => {
    h = await startHarness();
    await push(sha(4));
    const { run, job } = await startedRun();

    // Quiet but still running on GitHub: asked about, nothing changed, nothing written.
    h.clock.advance(11 * MIN);
    const before = patches();
    expect(await pass()).toMatchObject({ examined: 1, repaired: 0, refreshed: 0 });
    expect(patches()).toBe(before);

    await silently(async () => {
      await h.gh.completeJob(job.id, 'success');
      await h.gh.completeRun(run.id, 'success');
    });
    // Polled again only after another quiet spell.
    h.clock.advance(5 * MIN);
    expect(await pass()).toMatchObject({ due: 0 });
    h.clock.advance(6 * MIN);
    expect(await pass()).toMatchObject({ repaired: 1 });
    await h.settle();
    expect(checks()[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    const badge = await h.app.request(`/badges/${REPO}/status.svg`);
    expect(await badge.text()).toContain('passing');
  });

  it('watches a finished run again when GitHub re-runs it, and repairs the new attempt', async () => {
    h = await startHarness();
    await push(sha(6));
    const { run, job } = await startedRun();
    await h.gh.completeJob(job.id, 'failure');
    await h.gh.completeRun(run.id, 'failure');
    await h.settle();
    h.clock.advance(11 * MIN);
    expect(await pass()).toMatchObject({ forgotten: 1 });
    expect(await openItems()).toEqual([]);

    // "Re-run all jobs" on GitHub: attempt 2 queues a job, which puts the dispatch back in the index.
    await h.gh.rerunRun(run.id);
    const again = await h.gh.queueJob(run.id, { name: 'smoke', labels: LABELS });
    await h.gh.startJob(again.id, { runnerName: 'dgx-01' });
    await h.settle();
    expect(await openItems()).toHaveLength(1);
    await silently(async () => {
      await h.gh.completeJob(again.id, 'success');
      await h.gh.completeRun(run.id, 'success');
    });
    h.clock.advance(11 * MIN);
    expect(await pass()).toMatchObject({ repaired: 1 });
    await h.settle();
    expect(checks()[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  it('keeps a run waiting for a runner explained: the wait and the pool are re-rendered every quiet spell', async () => {
    h = await startHarness({ repos: [seedRepo({ runners: [{ name: 'gpu-02', labels: ['self-hosted', 'arm64'], status: 'online' }] })] });
    await push(sha(5));
    const run = runs()[0]!;
    await h.gh.requestRun(run.id);
    await h.gh.queueJob(run.id, { name: 'smoke', labels: LABELS });
    await h.settle();

    h.clock.advance(12 * MIN);
    expect(await pass()).toMatchObject({ refreshed: 1 });
    const summary = checks()[0]!.output.summary;
    expect(summary).toContain('Waiting 12m 00s for a runner with `self-hosted`, `arm64`, `dgx`');
    expect(summary).toContain('| gpu-02 | online, idle | `dgx` |');
    expect(checks()[0]!.status).toBe('queued');
  });

  it('run twice in parallel, changes nothing twice', async () => {
    h = await startHarness({ repos: [seedRepo({ files: { '.github/arm64-ci.yml': `${CONFIG}timeout_minutes: 30\n` } })] });
    // Four dispatches, one per branch: lost, adoptable, hung, and completed without an event.
    await push(sha(10), 'release/lost');
    h.gh.deleteRun(runs()[0]!.id);
    await push(sha(11), 'release/adopt');
    const adopt = runs().at(-1)!;
    await forgetPointer(adopt.id);
    await push(sha(12), 'release/hung');
    const { run: hung } = await startedRun();
    await push(sha(13), 'release/done');
    const { run: done, job: doneJob } = await startedRun();
    await silently(async () => {
      await h.gh.completeJob(doneJob.id, 'success');
      await h.gh.completeRun(done.id, 'success');
    });

    h.clock.advance(31 * MIN);
    const patchesBefore = checks().map((_, i) => patches(i));
    const cancelsBefore = h.gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/cancel')).length;
    const metrics = recordingMetrics();
    useMetrics(metrics.sink);
    // No webhooks while the passes run, so every PATCH counted below is one of theirs.
    const [a, b] = await silently(() => Promise.all([pass(), pass()]));
    // What the dashboard and the DispatchLost alarm count: each action once.
    expect(metrics.counts).toEqual({ 'reconcilerActions:lost': 1, 'reconcilerActions:adopted': 1, 'reconcilerActions:timed_out': 1 });

    const sum = (k: keyof ReconcileReport) => a[k] + b[k];
    expect({ lost: sum('lost'), adopted: sum('adopted'), timedOut: sum('timedOut'), repaired: sum('repaired'), examined: sum('examined') }).toEqual({
      lost: 1,
      adopted: 1,
      timedOut: 1,
      repaired: 1,
      examined: 4,
    });
    // One PATCH per check run, whichever pass made it.
    expect(checks().map((_, i) => patches(i) - patchesBefore[i]!)).toEqual([1, 1, 1, 1]);
    expect(h.gh.state.cancelled.map((c) => c.runId)).toEqual([hung.id]);
    // The hung run's cancel, and the finished run's cancel that GitHub refused (409: it had completed).
    expect(h.gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/cancel')).length - cancelsBefore).toBe(2);
    expect(checks().map((c) => c.conclusion)).toEqual(['failure', null, 'timed_out', 'success']);

    // And again, later: nothing left to do twice either.
    const after = checks().map((_, i) => patches(i));
    await silently(() => Promise.all([pass(), pass()]));
    expect(checks().map((_, i) => patches(i))).toEqual(after);
  });
});
