import { afterEach, describe, expect, it } from 'vitest';
import type { SeedRunner } from '@arm64-ci/github-sim';
import { seedRepo, startHarness, type Harness } from './support/harness';

let h: Harness;
afterEach(async () => {
  // Every request the coordinator made must have been one GitHub would accept.
  expect(h.gh.violations).toEqual([]);
  expect(h.gh.unimplemented).toEqual([]);
  await h.close();
});

const LABELS = ['self-hosted', 'arm64', 'dgx'];
const sha = (n: number) => n.toString(16).padStart(40, 'b');
const checks = () => h.gh.checkRuns('octo-org', 'widget');
const runs = () => h.gh.workflowRuns('octo-org', 'widget');
const push = (after: string, branch = 'main') =>
  h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: `refs/heads/${branch}`, after }));
const firstOutput = () => (checks()[0]!.history[0]!.body as { output: { title: string; summary: string } }).output;
const lastOutput = () => {
  const history = checks()[0]!.history;
  return (history[history.length - 1]!.body as { output: { title: string; summary: string } }).output;
};
const runnerListings = () => h.gh.requests.filter((r) => r.method === 'GET' && /\/actions\/runners$/.test(r.path));
const api = async (path: string) => {
  const r = await h.app.request(path);
  return { status: r.status, body: (await r.json()) as any };
};

async function start(runners: SeedRunner[], over: Parameters<typeof seedRepo>[0] = {}) {
  h = await startHarness({ repos: [seedRepo({ runners, ...over })] });
}

describe('label routing on the check run', () => {
  it('no online runner with all labels: the first output names the labels, the closest runners and what they lack; still dispatched', async () => {
    await start([
      { name: 'dgx-01', labels: LABELS, status: 'offline' },
      { name: 'gpu-02', labels: ['self-hosted', 'Linux', 'ARM64', 'gpu'], status: 'online' },
    ]);
    await push(sha(1));

    const out = firstOutput();
    expect(out.title).toBe('arm64: queued, every runner with self-hosted, arm64, dgx is offline');
    expect(out.summary).toContain('No online runner has all the requested labels');
    expect(out.summary).toContain('Waiting 0s for a runner with `self-hosted`, `arm64`, `dgx`');
    // Closest first: the offline runner that has every label, then the online one lacking `dgx`.
    expect(out.summary).toContain('| dgx-01 | offline | — |\n| gpu-02 | online, idle | `dgx` |');
    // GitHub queues the job until a runner comes: the run is dispatched regardless.
    expect(h.gh.dispatches).toHaveLength(1);
  });

  it('no runner carries the labels at all: says what each lacks, and the wait grows on each re-render', async () => {
    await start([{ name: 'gpu-02', labels: ['self-hosted', 'arm64', 'gpu'], status: 'online' }]);
    await push(sha(2));
    expect(firstOutput().title).toBe('arm64: queued, no runner has self-hosted, arm64, dgx');
    expect(firstOutput().summary).toContain('| gpu-02 | online, idle | `dgx` |');

    h.clock.advance(3 * 60_000);
    await h.gh.requestRun(runs()[0]!.id);
    await h.settle();
    expect(lastOutput().summary).toContain('Waiting 3m 00s for a runner with `self-hosted`, `arm64`, `dgx`');
  });

  it('a runner picks the job up: the summary names it and the queue time; the pool and the stats follow', async () => {
    await start([{ name: 'dgx-01', labels: LABELS, status: 'online' }]);
    await push(sha(3));
    expect(firstOutput().summary).toContain('Online and idle with all labels: `dgx-01`');
    expect(firstOutput().title).toBe('arm64: queued, waiting for a runner with self-hosted, arm64, dgx');

    const run = runs()[0]!;
    await h.gh.requestRun(run.id);
    await h.gh.startRun(run.id);
    const job = await h.gh.queueJob(run.id, { name: 'smoke (3.11)', labels: LABELS });
    // Progress is shown at most once a minute (core/check-updates.ts): the run's start is shown
    // now, the job's pick-up two minutes later.
    await h.settle();
    h.clock.advance(125_000);
    await h.gh.startJob(job.id, { runnerName: 'dgx-01' });
    await h.settle();
    expect(checks()[0]!.output.summary).toContain('Picked up by `dgx-01` after 2m 05s in the queue (dispatch → job start).');

    // The job event told the pool that dgx-01 is busy with this job.
    const pool = await api('/api/runners?repo=octo-org/widget');
    expect(pool.status).toBe(200);
    expect(pool.body.repos[0].runners).toEqual([
      expect.objectContaining({ name: 'dgx-01', status: 'online', busy: true, source: 'repo', lastJob: expect.objectContaining({ name: 'smoke (3.11)', status: 'in_progress' }) }),
    ]);

    h.clock.advance(60_000);
    await h.gh.completeJob(job.id, 'success');
    await h.gh.completeRun(run.id, 'success');
    await h.settle();
    // A finished run still says who took it and after how long.
    expect(checks()[0]!.output.summary).toContain('Picked up by `dgx-01` after 2m 05s');
    expect((await api('/api/runners?repo=octo-org/widget')).body.repos[0].runners[0]).toMatchObject({ busy: false });

    const stats = await api('/api/repos/octo-org/widget/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.window.days).toBe(7);
    expect(stats.body.labelSets).toEqual([
      { labels: ['arm64', 'dgx', 'self-hosted'], jobs: 1, queueSeconds: { count: 1, p50: 125, p90: 125 }, durationSeconds: { count: 1, p50: 60, p90: 60 } },
    ]);
  });

  it('stats: p50/p90 over several jobs, and only the last 7 days', async () => {
    await start([{ name: 'dgx-01', labels: LABELS, status: 'online' }]);
    const waits = [10, 20, 30, 40, 50, 60, 70, 80, 90, 600];
    for (const [i, wait] of waits.entries()) {
      await push(sha(100 + i), i % 2 ? 'main' : `release/${i}`);
      const run = runs()[i]!;
      const job = await h.gh.queueJob(run.id, { name: 'smoke', labels: LABELS });
      h.clock.advance(wait * 1000);
      await h.gh.startJob(job.id, { runnerName: 'dgx-01' });
      await h.gh.completeJob(job.id, 'success');
      await h.settle();
    }
    let stats = await api('/api/repos/octo-org/widget/stats');
    expect(stats.body.labelSets[0]).toMatchObject({ jobs: 10, queueSeconds: { count: 10, p50: 50, p90: 90 } });

    h.clock.advance(8 * 86_400_000);
    stats = await api('/api/repos/octo-org/widget/stats');
    expect(stats.body.labelSets).toEqual([]);
  });

  it('lists the runners at most once a minute per repository', async () => {
    await start([{ name: 'dgx-01', labels: LABELS, status: 'online' }]);
    await push(sha(4), 'release/a');
    expect(runnerListings()).toHaveLength(2); // the repository's and its organization's
    h.clock.advance(30_000);
    await push(sha(5), 'release/b');
    expect(runnerListings()).toHaveLength(2);
    h.clock.advance(31_000);
    // Meanwhile the runner went offline: the next listing sees it.
    h.gh.state.repo('octo-org', 'widget')!.runners[0]!.status = 'offline';
    await push(sha(6), 'release/c');
    expect(runnerListings()).toHaveLength(4);
    expect((checks()[2]!.history[0]!.body as { output: { summary: string } }).output.summary).toContain('| dgx-01 | offline | — |');
  });

  it('organization runners count as the repository’s own', async () => {
    await start([], { orgRunners: [{ name: 'org-dgx', labels: LABELS, status: 'online', busy: true }] });
    await push(sha(7));
    expect(firstOutput().summary).toContain('Every online runner with all labels is busy (`org-dgx`)');
    expect(firstOutput().title).toBe('arm64: queued, every runner with self-hosted, arm64, dgx is busy');
    const pool = await api('/api/runners?repo=octo-org/widget');
    expect(pool.body.repos[0]).toMatchObject({ access: { repo: 'ok', org: 'ok' }, runners: [expect.objectContaining({ name: 'org-dgx', source: 'org' })] });
  });

  it('a personal account has no organization runners: nothing is hedged', async () => {
    await start([{ name: 'gpu-02', labels: ['self-hosted'], status: 'online' }], { owner: 'octocat', ownerType: 'User' });
    await h.send(h.gh.events.pushEvent(h.gh.repo('octocat', 'widget'), { ref: 'refs/heads/main', after: sha(8) }));
    const out = (h.gh.checkRuns('octocat', 'widget')[0]!.history[0]!.body as { output: { summary: string } }).output;
    expect(out.summary).toContain('No runner has all the requested labels');
    expect(out.summary).not.toContain('could not be listed');
    expect((await api('/api/runners?repo=octocat/widget')).body.repos[0].access).toEqual({ repo: 'ok', org: 'not_org' });
  });

  it('without the permission to list runners: dispatches anyway and says once which permissions are missing', async () => {
    await start([{ name: 'dgx-01', labels: LABELS, status: 'online' }]);
    h.gh.failNext({ pathPattern: /\/actions\/runners$/, status: 403, times: 2, body: { message: 'Resource not accessible by integration', status: '403' } });
    await push(sha(9));
    const out = firstOutput();
    expect(out.summary).toContain('Which runners are online is unknown');
    expect(out.summary.match(/administration: read/g)).toHaveLength(1);
    expect(out.summary).toContain('organization_self_hosted_runners: read');
    expect(h.gh.dispatches).toHaveLength(1);

    // Job events still teach the pool which runners take these labels.
    const run = runs()[0]!;
    const job = await h.gh.queueJob(run.id, { name: 'smoke', labels: LABELS });
    await h.gh.startJob(job.id, { runnerName: 'dgx-01' });
    await h.settle();
    const pool = await api('/api/runners?repo=octo-org/widget');
    expect(pool.body.repos[0]).toMatchObject({
      access: { repo: 'denied', org: 'denied' },
      runners: [expect.objectContaining({ name: 'dgx-01', source: 'job', status: 'unknown', labels: LABELS })],
    });
  });

  it('GET /api/runners lists public repositories only, a private one with its token', async () => {
    h = await startHarness({
      repos: [
        seedRepo({ runners: [{ name: 'dgx-01', labels: LABELS }] }),
        seedRepo({ name: 'secret', private: true, runners: [{ name: 'hidden-01', labels: LABELS }] }),
      ],
    });
    await push(sha(10));
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'secret'), { ref: 'refs/heads/main', after: sha(11) }));
    const all = await api('/api/runners');
    expect(all.status).toBe(200);
    expect(all.body.repos.map((r: { repo: string }) => r.repo)).toEqual(['octo-org/widget']);
    expect((await api('/api/runners?repo=octo-org/secret')).status).toBe(404);
    const { badgeToken } = await import('../src/http/badge-token');
    const token = badgeToken('badge-secret', 'octo-org/secret');
    const one = await api(`/api/runners?repo=octo-org/secret&token=${token}`);
    expect(one.body.repos[0].runners[0].name).toBe('hidden-01');
    expect((await api('/api/repos/octo-org/secret/stats')).status).toBe(404);
  });
});

describe('organization runners', () => {
  it('are listed once a minute per organization, not once per repository', async () => {
    const org = { ownerType: 'Organization' as const, orgRunners: [{ name: 'org-dgx', labels: LABELS, status: 'online' as const }] };
    h = await startHarness({ repos: [seedRepo({ ...org }), seedRepo({ ...org, name: 'gadget' })] });
    const orgListings = () => h.gh.requests.filter((r) => r.method === 'GET' && r.path === '/orgs/octo-org/actions/runners');
    await push(sha(40));
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'gadget'), { ref: 'refs/heads/main', after: sha(41) }));
    expect(h.gh.dispatches).toHaveLength(2);
    expect(orgListings()).toHaveLength(1);
    // Both check runs know the organization's runner.
    for (const name of ['widget', 'gadget']) {
      expect(h.gh.checkRuns('octo-org', name)[0]!.output.summary).not.toContain('No online runner');
    }
    h.clock.advance(61_000);
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'gadget'), { ref: 'refs/heads/main', after: sha(42) }));
    expect(orgListings()).toHaveLength(2);
  });
});
