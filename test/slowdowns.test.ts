/**
 * Durations over time (issue 15, item 3): a test at least `slowdown_factor` (1.5) times its median
 * over the base branch's last runs is flagged once there are `slowdown_min_samples` (5) of them,
 * in the check-run summary and on the run page; `smoke_tests.max_slowdown` opts in to failing the check.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG, seedRepo, startHarness, type Harness } from './support/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({
    repos: [
      seedRepo(),
      seedRepo({ name: 'strict', files: { '.github/arm64-ci.yml': `${CONFIG}smoke_tests:\n  max_slowdown: 0\n` } }),
    ],
  });
});
afterEach(async () => {
  expect(h.gh.violations).toEqual([]);
  await h.close();
});

const sha = (n: number) => n.toString(16).padStart(40, 'e');

/** Three passing tests; `test_slow` takes `seconds`, the others a steady second. */
const results = (seconds: number) => ({
  'results.xml': `<testsuite name="pytest">
<testcase classname="tests.test_speed" name="test_slow" time="${seconds}"/>
<testcase classname="tests.test_speed" name="test_steady" time="1.0"/>
<testcase classname="tests.test_speed" name="test_quick" time="0.02"/>
</testsuite>`,
});

async function pushAndRun(repo: string, n: number, seconds: number) {
  await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', repo), { ref: 'refs/heads/main', after: sha(n) }));
  const runId = h.gh.dispatches.find((x) => x.inputs.sha === sha(n))!.runId;
  await h.gh.startRun(runId);
  h.gh.addArtifact(runId, { name: 'smoke-test-results', files: results(seconds) });
  await h.gh.completeRun(runId, 'success');
  await h.settle();
  h.clock.advance(10 * 60_000);
  return h.gh.checkRuns('octo-org', repo).find((c) => c.headSha === sha(n))!;
}

describe('slowdowns against the base branch', () => {
  it('flags a test twice as slow once the branch has 5 timed runs, and not before', async () => {
    for (let n = 1; n <= 4; n++) expect((await pushAndRun('widget', n, 1.0)).output.summary).not.toContain('Slower than usual');
    // Four earlier runs: below slowdown_min_samples, so even twice as slow is not flagged yet.
    const early = await pushAndRun('widget', 5, 2.0);
    expect(early.output.summary).not.toContain('Slower than usual');

    // Five earlier runs (median 1.0 s): 2.0 s is a 2× slowdown.
    const late = await pushAndRun('widget', 6, 2.0);
    expect(late.conclusion).toBe('success');
    const summary = late.output.summary!;
    expect(summary).toContain('#### Slower than usual (1)');
    expect(summary).toContain('test\\_slow');
    expect(summary).not.toContain('test_steady |');
    expect(summary.slice(summary.indexOf('#### Slower than usual'))).toMatch(/test\\_slow \| 2(\.0+)? ?s \| 1(\.0+)? ?s \| 2(\.0+)?× \| 5 \|/);

    // The run page shows it too (HTML and JSON).
    const page = await (await h.app.request(`/api/repos/octo-org/widget/runs/${late.externalId}`)).json();
    expect(page.smoke.slowdowns).toEqual([expect.objectContaining({ name: 'test_slow', samples: 5 })]);
    expect(page.smoke.slowdownRule).toEqual({ branch: 'main', factor: 1.5, window: 10, flagged: 1 });
    const html = await (await h.app.request(`/repos/octo-org/widget/runs/${late.externalId}`)).text();
    expect(html).toContain('Slower than usual');
    expect(html).toContain('test_slow');
  });

  it('fails the check on a flagged slowdown when smoke_tests.max_slowdown is 0', async () => {
    for (let n = 11; n <= 15; n++) expect((await pushAndRun('strict', n, 1.0)).conclusion).toBe('success');
    const slow = await pushAndRun('strict', 16, 3.0);
    expect(slow.conclusion).toBe('failure');
    expect(slow.output.summary).toContain('| Decided by | 1 test flagged as slower than usual, more than the 0 that smoke\\_tests.max\\_slowdown allows');
  });
});
