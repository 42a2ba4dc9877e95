/**
 * The GitHub budget of one push (issue 14): rate-limited requests per push followed to a completed
 * run with smoke results and one job, through the webhook route, dynalite and the stand-in. GitHub
 * counts every installation request except a 304 to a conditional one; the stand-in counts the same.
 */
import { describe, expect, it } from 'vitest';
import { smokeJUnit } from '../src/local/sandbox';
import { seedRepo, startHarness, type Harness } from './support/harness';
import { rigForEachTest } from './support/rig';

const INSTALLATION = 7;
let h: Harness;
rigForEachTest(startHarness, (rig) => (h = rig));

const sha = (n: number) => n.toString(16).padStart(40, 'e');
const checks = () => h.gh.checkRuns('octo-org', 'widget');
const counted = () => h.gh.rateLimitedRequests(INSTALLATION);
/** `METHOD /path` with ids blanked, for readable assertions. */
const shape = (r: { method: string; path: string }) => `${r.method} ${r.path.replace(/\/\d+/g, '/:id').replace('/repos/octo-org/widget', '')}`;

/** A push to main, its run played as GitHub plays it: one job, a smoke-test artifact (5/6 pass), success. */
async function pushLifecycle(n: number): Promise<void> {
  await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(n) }));
  const runId = h.gh.dispatches.at(-1)!.runId;
  await h.gh.requestRun(runId);
  const job = await h.gh.queueJob(runId, { name: 'test (3.11)' });
  await h.gh.startRun(runId);
  await h.gh.startJob(job.id, { runnerName: 'dgx-01' });
  await h.gh.completeJob(job.id, 'success');
  h.gh.addArtifact(runId, { name: 'smoke-test-results', files: { 'results/smoke.xml': smokeJUnit('3.11') } });
  await h.gh.completeRun(runId, 'success');
  await h.settle();
}

describe('GitHub requests per push', () => {
  it('costs at most 6 rate-limited requests from push to a concluded run with smoke results and one job', async () => {
    // The first push of a container reads the config and the runner pools in full; they are then
    // remembered with their ETags.
    await pushLifecycle(1);
    // Minutes later (the runner pool is due for a refresh): another push, the same lifecycle.
    h.clock.advance(5 * 60_000);
    const from = h.gh.requests.length;
    const countedFrom = counted().length;
    await pushLifecycle(2);

    const spent = counted().slice(countedFrom);
    expect(spent.map(shape)).toEqual([
      'POST /check-runs',
      'POST /actions/workflows/arm64-ci.yml/dispatches',
      'PATCH /check-runs/:id', // in progress
      'GET /actions/runs/:id/artifacts',
      'GET /actions/artifacts/:id/zip',
      'PATCH /check-runs/:id', // the conclusion, summary and annotations
    ]);
    expect(spent.length).toBeLessThanOrEqual(6);

    // The config and both runner listings were asked again, conditionally, and were unchanged: 304s, not counted.
    const notModified = h.gh.requests.slice(from).filter((r) => r.status === 304).map(shape);
    expect(notModified).toEqual(['GET /contents/.github%2Farm64-ci.yml', 'GET /actions/runners', 'GET /orgs/octo-org/actions/runners']);

    // The run id came with the dispatch's answer: no run listing to find it.
    expect(h.gh.requests.slice(from).filter((r) => r.method === 'GET' && /\/workflows\/[^/]+\/runs$/.test(r.path))).toEqual([]);

    // One final update carried the conclusion, the summary and the annotation of the failing test.
    const check = checks().find((c) => c.headSha === sha(2))!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    const final = check.history.at(-1)!.body as { conclusion?: string; output?: { summary?: string; annotations?: unknown[] } };
    expect(final.conclusion).toBe('failure');
    expect(final.output?.summary).toContain('Smoke tests: 5/6 (83%)');
    expect(final.output?.annotations).toHaveLength(1);
    expect(check.annotations).toHaveLength(1);
    expect(check.output.summary).toContain('dgx-01');
  });

  it('answers a changed config in full, and still spends only what changed', async () => {
    await pushLifecycle(1);
    h.gh.repo('octo-org', 'widget').files['.github/arm64-ci.yml'] += '# edited\n';
    h.clock.advance(30_000); // runner pools still fresh: not asked
    const countedFrom = counted().length;
    await pushLifecycle(2);
    const spent = counted().slice(countedFrom).map(shape);
    expect(spent[0]).toBe('GET /contents/.github%2Farm64-ci.yml');
    expect(spent).toHaveLength(7);
  });
});

describe('rate-limit reserve', () => {
  it('with x-ratelimit-remaining below the reserve, still dispatches and concludes, and progress waits (and the check run says so)', async () => {
    h.gh.setRateLimit(INSTALLATION, { remaining: 120 }); // below the default reserve of 500
    await pushLifecycle(1);

    // The dispatch went out.
    expect(h.gh.dispatches).toHaveLength(1);
    const check = checks()[0]!;
    // Created queued, then a single update: the conclusion. No in-progress update, no runner listing.
    expect(check.history.map((e) => `${e.method} ${(e.body as { status?: string }).status}`)).toEqual(['POST queued', 'PATCH completed']);
    expect(h.gh.requests.filter((r) => /\/actions\/runners$/.test(r.path))).toEqual([]);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.annotations).toHaveLength(1);
    expect(check.output.summary).toMatch(/rate limit for this installation ran low \(\d+ requests left this hour, below the reserve of 500\)/);
    expect(check.output.summary).toContain('progress updates of this check run were deferred');
  });

  it('shows the waiting progress again once GitHub renews the hour', async () => {
    h.gh.setRateLimit(INSTALLATION, { remaining: 120 });
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(3) }));
    const runId = h.gh.dispatches[0]!.runId;
    await h.gh.startRun(runId);
    await h.settle();
    expect(checks()[0]!.status).toBe('queued'); // waiting

    // x-ratelimit-reset passes: a new window, a full budget (the stand-in renews it the same way).
    h.clock.advance(61 * 60_000);
    const job = await h.gh.queueJob(runId, { name: 'test (3.11)' });
    await h.gh.startJob(job.id, { runnerName: 'dgx-01' });
    await h.settle();
    // The job's start was the next update: it carried the run's progress that had waited.
    expect(checks()[0]!.status).toBe('in_progress');
    expect(checks()[0]!.output.summary).toContain('dgx-01');
  });
});
