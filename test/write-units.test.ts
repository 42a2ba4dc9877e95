/**
 * What storing a large run costs in DynamoDB (issue 14): a completed run with 5,000 test cases,
 * 10 of them failing, counted in write units as AWS bills them (test/support/write-meter.ts:
 * ReturnConsumedCapacity for the table, the table's definition for its indexes). Counts, not times.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG, seedRepo, startHarness, type Harness } from './support/harness';
import { figures } from './support/rig';
import { meterWrites, type WriteMeter } from './support/write-meter';

let h: Harness;
let meter: WriteMeter;
beforeEach(async () => {
  h = await startHarness({ repos: [seedRepo({ files: { '.github/arm64-ci.yml': CONFIG } })], logLevel: 'warn' });
  meter = meterWrites(h.store.doc, h.store.table);
});
afterEach(async () => {
  expect(h.gh.violations).toEqual([]);
  await h.close();
});

const sha = (n: number) => n.toString(16).padStart(40, 'a');
const MODULES = ['api', 'cache', 'config', 'parser', 'network', 'storage', 'auth', 'queue', 'render', 'compute'];

/** 5,000 test cases in 10 files (one per module), `failing` of them failing, each with a time. */
function bigResults(failing: number, seed: number): Record<string, string> {
  const files: Record<string, string> = {};
  // Times vary from run to run as real ones do (a fixed pattern would compress to nothing).
  let x = seed;
  const time = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 0.01 + (x / 2 ** 31) * 3;
  };
  MODULES.forEach((mod, m) => {
    const cases: string[] = [];
    for (let i = 0; i < 500; i++) {
      const n = m * 500 + i;
      const cls = `tests.${mod}.test_${mod}_${Math.floor(i / 25)}`;
      const body = n < failing ? `<failure message="assert ${n} == ${n + 1}">AssertionError at line ${i + 10}</failure>` : '';
      cases.push(`<testcase classname="${cls}" name="test_case_${n}" file="tests/${mod}/test_${mod}_${Math.floor(i / 25)}.py" line="${i + 10}" time="${time().toFixed(3)}">${body}</testcase>`);
    }
    files[`results/${mod}.xml`] = `<?xml version="1.0"?><testsuites><testsuite name="pytest">${cases.join('')}</testsuite></testsuites>`;
  });
  return files;
}

/** Pushes, runs and completes a commit; the meter counts from just before the completion. */
async function run(n: number, failing: number): Promise<void> {
  await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(n) }));
  const runId = h.gh.dispatches.find((x) => x.inputs.sha === sha(n))!.runId;
  await h.gh.startRun(runId);
  const job = await h.gh.queueJob(runId, { name: 'test' });
  await h.gh.startJob(job.id, { runnerName: 'dgx-01' });
  await h.gh.completeJob(job.id, 'success');
  h.gh.addArtifact(runId, { name: 'smoke-test-results', files: bigResults(failing, n) });
  await h.settle();
  meter.reset();
  await h.gh.completeRun(runId, 'success');
  await h.settle();
}

describe('DynamoDB writes per completed run', () => {
  it('stores a 5,000-test run (10 failing) in at most 50 write units, indexes included, and no key takes more than a few items', async () => {
    await run(1, 0);
    const first = { units: meter.units, index: meter.indexUnits, kinds: Object.fromEntries(meter.byKind) };
    h.clock.advance(60_000);
    await run(2, 10);

    const check = h.gh.checkRuns('octo-org', 'widget').find((c) => c.headSha === sha(2))!;
    expect(check.output.summary).toContain('4990/5000');
    expect(check.output.summary).toContain('Newly failing');
    figures('write units per completed 5,000-test run', {
      steady: meter.units,
      steadyIndex: meter.indexUnits,
      firstRunOfTheseTests: first.units,
      kinds: Object.fromEntries(meter.byKind),
      firstKinds: first.kinds,
    });
    expect(meter.units).toBeLessThanOrEqual(50);
    // The first run of a set of tests also writes their catalog (names), once.
    expect(first.units).toBeLessThanOrEqual(50);
    // Per key: a handful of items per completion, so no key nears 100 items a second.
    expect(Math.max(...meter.itemsByKey.values())).toBeLessThanOrEqual(10);

    // The readers still see every test: the run page lists 5,000, failing first.
    const d = check.externalId!;
    const page = await (await h.app.request(`/api/repos/octo-org/widget/runs/${d}?limit=100`)).json();
    expect(page.testsTotal).toBe(5000);
    expect(page.tests.slice(0, 10).every((t: { outcome: string }) => t.outcome === 'failed')).toBe(true);
    const tests = await (await h.app.request('/api/repos/octo-org/widget/tests?limit=100')).json();
    expect(tests.tests).toHaveLength(100);
  }, 180_000);
});
