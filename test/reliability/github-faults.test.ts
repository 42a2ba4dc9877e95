import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '@arm64-ci/github-sim';
import { listDispatches } from '../../src/store/dispatches';
import { figures, requestsTo, seedRepo, startRig, type ProxyVerdict, type Rig, type RigOptions } from '../support/rig';

let r: Rig | null = null;
let dataDir: string | null = null;
afterEach(async () => {
  if (r) {
    expect(r.gh.violations.filter((v) => v.kind === 'spec')).toEqual([]);
    expect(r.gh.unimplemented).toEqual([]);
    await r.close();
  }
  r = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

async function rig(opts: RigOptions = {}): Promise<Rig> {
  r = await startRig(opts);
  return r;
}

const sha = (n: number) => n.toString(16).padStart(40, 'd');
const push = (h: Rig, n: number) => h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(n) });
const checks = (h: Rig) => h.gh.checkRuns('octo-org', 'widget');
const runs = (h: Rig) => h.gh.workflowRuns('octo-org', 'widget');
const DISPATCH = /\/actions\/workflows\/[^/]+\/dispatches$/;
const CHECK_RUNS = /\/check-runs$/;
const CHECK_RUN = /\/check-runs\/\d+$/;

/** Plays the run GitHub started for the push to the end, one job, all green. */
async function playToGreen(h: Rig): Promise<void> {
  const run = runs(h)[0]!;
  await h.gh.play(run.id, { jobs: [{ name: 'test (3.11)', runnerName: 'dgx-01', labels: ['self-hosted', 'arm64', 'dgx'], conclusion: 'success' }] });
  await h.settle();
}

describe('GitHub faults that pass', () => {
  const cases: { name: string; faults: Fault[] }[] = [
    { name: '502 on the dispatch', faults: [{ method: 'POST', pathPattern: DISPATCH, status: 502 }] },
    { name: '503 twice on the dispatch', faults: [{ method: 'POST', pathPattern: DISPATCH, status: 503, times: 2 }] },
    { name: '429 on the dispatch', faults: [{ method: 'POST', pathPattern: DISPATCH, status: 429 }] },
    { name: 'secondary rate limit (403) on the dispatch', faults: [{ method: 'POST', pathPattern: DISPATCH, status: 403 }] },
    { name: '500 creating the check run', faults: [{ method: 'POST', pathPattern: CHECK_RUNS, status: 500 }] },
    { name: 'secondary rate limit creating the check run', faults: [{ method: 'POST', pathPattern: CHECK_RUNS, status: 403 }] },
    { name: '503 reading the config', faults: [{ method: 'GET', pathPattern: /\/contents\//, status: 503, times: 3 }] },
    { name: '502 minting the installation token', faults: [{ method: 'POST', pathPattern: /\/access_tokens$/, status: 502 }] },
    { name: '429 on every check-run update once', faults: [{ method: 'PATCH', pathPattern: CHECK_RUN, status: 429, times: 3 }] },
    { name: '504 updating the check run', faults: [{ method: 'PATCH', pathPattern: CHECK_RUN, status: 504, times: 2 }] },
  ];
  let injected = 0;

  it.each(cases)('$name: one dispatch, and the loop completes', async ({ faults }) => {
    const h = await rig();
    // Faults on the check-run update hit when the run is played, the others on the push.
    for (const f of faults) h.gh.failNext(f);
    await h.send(push(h, 1));
    await playToGreen(h);
    injected += faults.reduce((n, f) => n + (f.times ?? 1), 0);
    const failedAnswers = h.gh.requests.filter((q) => q.status >= 400).length;
    expect(failedAnswers).toBe(faults.reduce((n, f) => n + (f.times ?? 1), 0));
    expect(h.gh.dispatches).toHaveLength(1);
    expect(runs(h)).toHaveLength(1);
    expect(checks(h)).toHaveLength(1);
    expect(checks(h)[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(h.queue.deadLetters).toEqual([]);
    if (faults === cases.at(-1)!.faults) figures('transient GitHub faults', { cases: cases.length, faultsInjected: injected, dispatches: 'exactly 1 each', loopsCompleted: cases.length });
  });
});

describe('GitHub faults that never pass', () => {
  it('a 404 on the dispatch fails the check run with the reason, without retrying', async () => {
    const h = await rig();
    h.gh.failNext({ method: 'POST', pathPattern: DISPATCH, status: 404, body: { message: 'Not Found' } });
    await h.send(push(h, 2));
    expect(requestsTo(h.gh, 'POST', DISPATCH)).toBe(1);
    expect(checks(h)[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(checks(h)[0]!.output.summary).toContain('404');
    expect(h.queue.deadLetters).toEqual([]);
  });

  it('a 422 on a check-run update: resent once with a plain output (no retry loop); the next event completes the check run', async () => {
    const h = await rig();
    await h.send(push(h, 3));
    const run = runs(h)[0]!;
    h.gh.failNext({ method: 'PATCH', pathPattern: CHECK_RUN, status: 422, body: { message: 'Invalid request.' } });
    const before = requestsTo(h.gh, 'PATCH', CHECK_RUN);
    await h.gh.startRun(run.id);
    await h.settle();
    // The refused body once, then the plain one: the state reaches GitHub, nothing loops.
    expect(requestsTo(h.gh, 'PATCH', CHECK_RUN) - before).toBe(2);
    expect(checks(h)[0]).toMatchObject({ status: 'in_progress' });
    expect(checks(h)[0]!.output.summary).toContain('GitHub refused');
    expect(h.queue.deadLetters).toEqual([]);
    expect(h.logs.filter((l) => l.includes('will retry'))).toEqual([]);
    await h.gh.completeRun(run.id, 'success');
    await h.settle();
    expect(checks(h)[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
  });
});

describe('installation token expiry', () => {
  it('renews a token GitHub calls expired mid-run, once, and carries on', async () => {
    const h = await rig({ standIn: { tokenTtlMs: 10 * 60_000 } });
    await h.send(push(h, 4));
    expect(h.gh.tokensIssued).toBe(1);
    // GitHub's clock passes the token's expires_at; our cache (59 min of our clock) still holds it.
    h.clock.advance(11 * 60_000);
    await playToGreen(h);
    expect(h.gh.requests.filter((q) => q.status === 401)).toHaveLength(1);
    expect(h.gh.tokensIssued).toBe(2);
    expect(checks(h)[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(h.queue.deadLetters).toEqual([]);
    expect(h.logs.some((l) => l.includes('renewed and retrying once'))).toBe(true);
  });

  it('mints one new token when many requests meet the expired one at once', async () => {
    const h = await rig({
      standIn: { tokenTtlMs: 10 * 60_000 },
      repos: [1, 2, 3, 4].map((i) => seedRepo({ name: `w${i}` })),
    });
    for (const i of [1, 2, 3, 4]) await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', `w${i}`), { ref: 'refs/heads/main', after: sha(10 + i) }));
    expect(h.gh.tokensIssued).toBe(1);
    h.clock.advance(11 * 60_000);
    // Four repositories, four queue groups: their events run at the same time.
    await Promise.all([1, 2, 3, 4].map((i) => h.gh.deliver(h.gh.events.pushEvent(h.gh.repo('octo-org', `w${i}`), { ref: 'refs/heads/main', after: sha(20 + i) }))));
    await h.settle();
    expect(h.gh.dispatches).toHaveLength(8);
    expect(h.gh.tokensIssued).toBe(2);
    expect(h.queue.deadLetters).toEqual([]);
  });
});

describe('a worker that dies between the dispatch and its record', () => {
  it('GitHub started the run but the answer was lost: the retry finds the run, dispatches nothing more', async () => {
    const h = await rig({ proxy: true });
    let lost = 0;
    h.onGitHubRequest = ({ method, path }) => (method === 'POST' && DISPATCH.test(path) && lost++ === 0 ? 'lose-answer' : 'pass');
    await h.send(push(h, 5));
    expect(lost).toBe(1);
    // Not re-sent blindly by octokit's retry: the queue's retry looked the run up first.
    expect(requestsTo(h.gh, 'POST', DISPATCH)).toBe(1);
    expect(runs(h)).toHaveLength(1);
    const [d] = (await listDispatches(h.store, 'octo-org/widget')).items;
    expect(d).toMatchObject({ state: 'dispatched', workflowRunId: runs(h)[0]!.id });
    await playToGreen(h);
    expect(checks(h)).toHaveLength(1);
    expect(checks(h)[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(h.queue.deadLetters).toEqual([]);
  });

  it('the store went down as GitHub accepted the dispatch: after it is back, one run and a completed check run', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'arm64-ci-crash-'));
    const h = await rig({ proxy: true, dataDir, backoffMs: (n) => 150 * n });
    let restarted: Promise<void> | null = null;
    h.onGitHubRequest = async ({ method, path }): Promise<ProxyVerdict> => {
      if (method === 'POST' && DISPATCH.test(path) && !restarted) {
        await h.stopStore();
        // Back a moment later, while the queue is still retrying the message.
        restarted = new Promise((res) => setTimeout(res, 250)).then(() => h.startStore());
      }
      return 'pass';
    };
    await h.send(push(h, 6));
    await restarted;
    await h.settle();
    expect(requestsTo(h.gh, 'POST', DISPATCH)).toBe(1);
    expect(runs(h)).toHaveLength(1);
    expect(h.logs.some((l) => l.includes('will retry'))).toBe(true);
    await playToGreen(h);
    expect(checks(h)).toHaveLength(1);
    expect(checks(h)[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(h.queue.deadLetters).toEqual([]);
    figures('crash between dispatch and record', { scenarios: 2, workflowRuns: 'exactly 1 each', checkRunsCompleted: 2 });
  });
});
