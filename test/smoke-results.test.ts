import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadArtifact, listRunArtifacts } from '../src/github/artifacts';
import { badgeToken } from '../src/http/badge-token';
import type { CheckRunRecord } from '@arm64-ci/github-sim';
import { smokeJUnit } from '../src/local/sandbox';
import { getDispatch } from '../src/store/dispatches';
import { currentSmoke } from '../src/store/dispatch-smoke';
import { getRefSmoke } from '../src/store/ref-smoke';
import { testHistory } from '../src/store/test-runs';
import { CONFIG, seedRepo, startHarness, type Harness } from './support/harness';

// widget: public, smoke_tests.min_pass_rate defaults to 1.0.
// gadget: private, min_pass_rate 0.8, up to 120 annotations.
const GADGET_CONFIG = `${CONFIG}smoke_tests:\n  min_pass_rate: 0.8\nannotations:\n  max: 120\n`;

let h: Harness;
beforeEach(async () => {
  h = await startHarness({
    repos: [
      seedRepo(),
      seedRepo({ name: 'gadget', private: true, files: { '.github/arm64-ci.yml': GADGET_CONFIG } }),
    ],
  });
});
afterEach(async () => {
  expect(h.gh.violations).toEqual([]);
  expect(h.gh.unimplemented).toEqual([]);
  await h.close();
});

const sha = (n: number) => n.toString(16).padStart(40, 'c');
const FAILING = 'test_basic_api_availability';

/** The seed's six smoke tests (one failing), split over two JUnit files as two test modules would be. */
function seedFiles(opts: { allPass?: boolean } = {}): Record<string, string> {
  let xml = smokeJUnit('3.11');
  if (opts.allPass) xml = xml.replace(/>\s*<failure[\s\S]*?<\/failure>\s*<\/testcase>/, '/>');
  const cases = xml.match(/<testcase\b[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g)!;
  expect(cases).toHaveLength(6);
  const wrap = (cs: string[]) =>
    `<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest" tests="${cs.length}">\n${cs.join('\n')}\n</testsuite></testsuites>\n`;
  return { 'results/smoke-core.xml': wrap(cases.slice(0, 3)), 'results/smoke-api.xml': wrap(cases.slice(3)) };
}

interface RunOpts {
  repo?: string;
  files?: Record<string, string> | null;
  conclusion?: 'success' | 'failure';
  ref?: string;
}

/** Pushes a commit and plays its workflow run to the end; returns the run and the check run. */
async function pushAndRun(n: number, opts: RunOpts = {}): Promise<{ runId: number; check: CheckRunRecord }> {
  const name = opts.repo ?? 'widget';
  await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', name), { ref: opts.ref ?? 'refs/heads/main', after: sha(n) }));
  return playRun(name, sha(n), opts);
}

async function playRun(name: string, headSha: string, opts: RunOpts = {}) {
  const dispatch = h.gh.dispatches.find((x) => x.inputs.sha === headSha && x.repo === `octo-org/${name}`)!;
  const runId = dispatch.runId;
  await h.gh.startRun(runId);
  const job = await h.gh.queueJob(runId, { name: 'test (3.11)' });
  await h.gh.startJob(job.id, { runnerName: 'dgx-01' });
  await h.gh.completeJob(job.id, opts.conclusion ?? 'success');
  if (opts.files !== null) h.gh.addArtifact(runId, { name: 'smoke-test-results', files: opts.files ?? seedFiles() });
  await h.gh.completeRun(runId, opts.conclusion ?? 'success');
  await h.settle();
  return { runId, check: checkOf(name, headSha) };
}

const checkOf = (name: string, headSha: string) => h.gh.checkRuns('octo-org', name).find((c) => c.headSha === headSha)!;

const badge = async (repo: string, file: string, query = '') => (await h.app.request(`/badges/octo-org/${repo}/${file}${query}`)).text();

const annotationPatches = (name: string) =>
  h.gh.requests.filter(
    (r) =>
      r.method === 'PATCH' &&
      r.path.startsWith(`/repos/octo-org/${name}/check-runs/`) &&
      Array.isArray((r.body as { output?: { annotations?: unknown } })?.output?.annotations),
  );

describe('smoke-test results end to end', () => {
  it('fails a successful workflow below min_pass_rate 1.0: 5/6 (83%), one annotation, the smoke badge', async () => {
    const { runId, check } = await pushAndRun(1);

    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    const summary = check.output.summary!;
    expect(check.output.title).toContain('smoke tests 5/6 (83%)');
    expect(summary).toContain('### Smoke tests: 5/6 (83%)');
    expect(summary).toContain('| Decided by | smoke pass rate 5/6 (83%) is below the required 100% |');
    expect(summary).toContain('| results/smoke-core.xml | 3 | 0 | 0 | 0 | 3/3 (100%) |');
    expect(summary).toContain('| results/smoke-api.xml | 2 | 1 | 0 | 0 | 2/3 (66%) |');
    expect(summary).toContain('| Runner | `dgx-01` · arm64 (aarch64) |');

    // One annotation, on the failing test's own file and line.
    expect(check.annotations).toHaveLength(1);
    expect(check.annotations[0]).toMatchObject({
      path: 'tests/test_arm64_basic.py',
      start_line: 52,
      end_line: 52,
      annotation_level: 'failure',
      title: `Failed: tests.test_arm64_basic › ${FAILING}`,
    });
    expect(String(check.annotations[0]!.message)).toContain('ipfs_kit_py.api is not available on aarch64');

    // The zip came through GitHub's 302, and the signed link was fetched without our token.
    const zipCall = h.gh.requests.find((r) => r.path.endsWith('/zip'))!;
    expect(zipCall).toMatchObject({ status: 302, authorized: true });
    const blob = h.gh.requests.find((r) => r.path.startsWith('/_standin/artifacts/'))!;
    expect(blob).toMatchObject({ status: 200, authorized: false });

    expect(await badge('widget', 'smoke.svg')).toContain('5/6 (83%)');
    expect(JSON.parse(await badge('widget', 'smoke.json'))).toEqual({
      schemaVersion: 1,
      label: 'smoke tests',
      message: '5/6 (83%)',
      color: 'yellowgreen',
    });

    // Stored: counts on the dispatch, the test's history, the branch's rolling rate.
    const d = (await getDispatch(h.store, 'octo-org/widget', check.externalId!))!;
    expect(currentSmoke(d)).toMatchObject({ counts: { passed: 5, failed: 1, errored: 0, skipped: 0, total: 6 }, rateText: '5/6 (83%)' });
    expect(d.workflowRunId).toBe(runId);
    const history = await testHistory(h.store, 'octo-org/widget', 'pytest::tests.test_arm64_basic::test_basic_api_availability');
    expect(history.items).toMatchObject([{ outcome: 'failed', sha: sha(1), ref: 'branch:main', flaky: false }]);
    expect((await getRefSmoke(h.store, 'octo-org/widget', 'branch:main'))?.rollingRate).toBeCloseTo(5 / 6, 10);
    expect((await h.items()).filter((i) => typeof i.pk === 'string' && i.pk.startsWith('TEST#') && typeof i.ttl !== 'number')).toEqual([]);
  });

  it('passes the same results with min_pass_rate 0.8, and the private badge needs its token', async () => {
    const { check } = await pushAndRun(2, { repo: 'gadget' });
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(check.output.summary).toContain('smoke pass rate 5/6 (83%) meets the required 80%');
    expect(check.output.summary).toContain('5/6 (83%)');
    expect(check.annotations).toHaveLength(1);

    expect((await h.app.request('/badges/octo-org/gadget/smoke.svg')).status).toBe(404);
    const token = badgeToken('badge-secret', 'octo-org/gadget');
    expect(await badge('gadget', 'smoke.svg', `?token=${token}`)).toContain('5/6 (83%)');
  });

  it('says when the artifact is missing and lets the workflow decide', async () => {
    const passed = await pushAndRun(3, { files: null });
    expect(passed.check).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(passed.check.output.summary).toContain('This run uploaded no artifact named "smoke-test-results"');
    expect(passed.check.output.summary).toContain('no smoke-test artifact: conclusion follows the workflow');
    expect(passed.check.annotations).toEqual([]);
    expect(await badge('widget', 'smoke.svg')).toContain('no data');

    const failed = await pushAndRun(4, { files: null, conclusion: 'failure' });
    expect(failed.check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(failed.check.output.summary).toContain('| Decided by | workflow concluded failure |');
  });

  it('reads hostile XML as a clear note, without crashing, and counts the files that are fine', async () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><testsuite>&lol2;</testsuite>';
    const deep = `${'<testsuite>'.repeat(5000)}${'</testsuite>'.repeat(5000)}`;
    const { check } = await pushAndRun(5, { files: { 'lolz.xml': lol, 'deep.xml': deep, 'truncated.xml': '<testsuite><testcase name="a">' } });
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success' });
    const summary = check.output.summary!;
    expect(summary).toContain('### Smoke tests: no data');
    expect(summary).toContain('lolz.xml was not read: entity declarations are not allowed');
    expect(summary).toContain('deep.xml was not read: elements are nested more than 32 deep');
    expect(summary).toContain('truncated.xml was not read');
    expect(summary).toContain('no smoke-test data (3 files could not be read): conclusion follows the workflow');

    const mixed = await pushAndRun(6, { repo: 'gadget', files: { ...seedFiles(), 'lolz.xml': lol } });
    expect(mixed.check.conclusion).toBe('success');
    expect(mixed.check.output.summary).toContain('### Smoke tests: 5/6 (83%)');
    expect(mixed.check.output.summary).toContain('lolz.xml was not read');
  });

  it('flags a test that failed in attempt 1 and passed in attempt 2 of the same commit as flaky', async () => {
    const first = await pushAndRun(7);
    expect(first.check.conclusion).toBe('failure');

    h.clock.advance(10 * 60_000);
    await h.gh.rerunRun(first.runId);
    await h.settle();
    const second = await playRun('widget', sha(7), { files: seedFiles({ allPass: true }) });
    expect(h.gh.workflowRuns('octo-org', 'widget').find((r) => r.id === first.runId)?.runAttempt).toBe(2);

    expect(second.check).toMatchObject({ status: 'completed', conclusion: 'success' });
    const summary = second.check.output.summary!;
    expect(summary).toContain('attempt 2');
    expect(summary).toContain('### Smoke tests: 6/6 (100%)');
    expect(summary).toContain('#### Flaky: passed and failed on this commit (1)');
    expect(summary).toContain(`**${FAILING.replace(/_/g, '\\_')}**: passed 1×, failed 1×`);
    expect(await badge('widget', 'smoke.svg')).toContain('6/6 (100%)');

    const tests = await (await h.app.request('/api/repos/octo-org/widget/tests')).json();
    const flaky = tests.tests.find((t: { name: string }) => t.name === FAILING);
    expect(flaky).toMatchObject({ flaky: true, passRate: 0.5, runs: 2, lastOutcome: 'passed', lastFlakySha: sha(7) });
    expect(flaky.recent).toEqual([
      { outcome: 'passed', flaky: true },
      { outcome: 'failed', flaky: false },
    ]);
    // The rolling rate counts the dispatch once, with its latest attempt.
    expect((await getRefSmoke(h.store, 'octo-org/widget', 'branch:main'))?.rollingRate).toBe(1);
  });

  it('ignores an artifact an earlier attempt uploaded instead of reporting old results again', async () => {
    const first = await pushAndRun(8);
    h.clock.advance(10 * 60_000);
    await h.gh.rerunRun(first.runId);
    await h.settle();
    const second = await playRun('widget', sha(8), { files: null });
    expect(second.check.conclusion).toBe('success');
    expect(second.check.output.summary).toContain('was uploaded before attempt 2 started');
  });

  it('says so when the artifact expired before the run was read', async () => {
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(15) }));
    const runId = h.gh.dispatches.at(-1)!.runId;
    await h.gh.startRun(runId);
    h.gh.addArtifact(runId, { name: 'smoke-test-results', files: seedFiles() }).expiresAt = new Date(0);
    await h.gh.completeRun(runId, 'success');
    await h.settle();
    const check = checkOf('widget', sha(15));
    expect(check.conclusion).toBe('success');
    expect(check.output.summary).toContain('The artifact "smoke-test-results" of this run has expired');
  });

  it('collects the results when the completion is retried after GitHub failed', async () => {
    // More 502s than octokit retries: the first processing fails, the queue's retry finishes the job.
    h.gh.failNext({ method: 'GET', pathPattern: /\/runs\/\d+\/artifacts$/, status: 502, times: 4 });
    const { check } = await pushAndRun(16);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.summary).toContain('### Smoke tests: 5/6 (83%)');
    expect(check.annotations).toHaveLength(1);
    expect(h.queue.deadLetters).toEqual([]);
  });

  it('downloads through the 302 with a size bound, and reports an expired artifact (410)', async () => {
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: sha(17) }));
    const runId = h.gh.dispatches.at(-1)!.runId;
    const record = h.gh.addArtifact(runId, { name: 'smoke-test-results', files: seedFiles() });
    h.gh.addArtifact(runId, { name: 'other', files: { 'x.txt': 'x' } });
    const gh = await h.deps.github.forInstallation(7);
    const where = { owner: 'octo-org', repo: 'widget' };

    const listed = await listRunArtifacts(gh, { ...where, runId, name: 'smoke-test-results' });
    expect(listed.map((a) => a.id)).toEqual([record.id]);
    const ok = await downloadArtifact(gh, { ...where, artifactId: record.id });
    expect(ok.ok && Buffer.from(ok.bytes).equals(Buffer.from(record.zip))).toBe(true);

    const small = await downloadArtifact(gh, { ...where, artifactId: record.id, maxBytes: 100 });
    expect(small).toMatchObject({ ok: false, reason: 'too_large' });

    record.expiresAt = new Date(0);
    expect(await downloadArtifact(gh, { ...where, artifactId: record.id })).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('sends 120 failures as exactly three annotation requests of at most 50', async () => {
    const cases = Array.from(
      { length: 125 },
      (_, i) =>
        `<testcase classname="tests.test_many" name="test_${i}" file="tests/test_many.py" line="${i + 1}">${i < 120 ? `<failure message="boom ${i}"/>` : ''}</testcase>`,
    ).join('\n');
    const { check } = await pushAndRun(9, { repo: 'gadget', files: { 'many.xml': `<testsuite name="many">${cases}</testsuite>` } });
    expect(check.conclusion).toBe('failure');
    const patches = annotationPatches('gadget');
    expect(patches.map((p) => (p.body as { output: { annotations: unknown[] } }).output.annotations.length)).toEqual([50, 50, 20]);
    expect(check.annotations).toHaveLength(120);
    expect(new Set(check.annotations.map((a) => a.start_line)).size).toBe(120);
    expect(check.output.summary).toContain('5/125 (4%)');
    // Every test's outcome is in one packed item, the branch's standing in another; per-test
    // records only for the first 100 failing tests (the rest are in the packed run).
    const items = await h.items();
    const pks = items.map((i) => String(i.pk));
    expect(pks.filter((pk) => pk.startsWith('TEST#octo-org/gadget#'))).toHaveLength(100);
    expect(pks.filter((pk) => pk === 'RUNS#octo-org/gadget#default#branch:main')).toHaveLength(1);
    expect(pks.filter((pk) => pk === 'TESTS#octo-org/gadget#default#branch:main')).toHaveLength(1);
    const token = badgeToken('badge-secret', 'octo-org/gadget');
    const run = await (await h.app.request(`/api/repos/octo-org/gadget/runs/${check.externalId}?token=${token}&limit=100`)).json();
    expect(run.testsTotal).toBe(125);
    expect(run.tests.filter((t: { outcome: string }) => t.outcome === 'failed')).toHaveLength(100);
  });

  it('compares with the base: the previous run on main, and main for a pull request', async () => {
    await pushAndRun(10);
    const fixed = await pushAndRun(11, { files: seedFiles({ allPass: true }) });
    expect(fixed.check.output.summary).toContain(`#### Newly passing compared with main at ${sha(10).slice(0, 7)} (1)`);

    const ev = h.gh.events.pullRequestEvent(h.gh.repo('octo-org', 'widget'), 'opened', {
      number: 12,
      headSha: sha(12),
      headRef: 'feature/x',
      baseRef: 'main',
    });
    await h.send(ev);
    const pr = await playRun('widget', sha(12));
    expect(pr.check.output.summary).toContain(`#### Newly failing compared with main at ${sha(11).slice(0, 7)} (1)`);
    expect(pr.check.output.summary).toContain(FAILING.replace(/_/g, '\\_'));
    // A pull request's runs do not move the branch's badge.
    expect(await badge('widget', 'smoke.svg')).toContain('6/6 (100%)');
  });

  it('lists each test’s recent pass rate, newest first, a page at a time; private repositories need the token', async () => {
    await pushAndRun(13, { repo: 'gadget' });
    expect((await h.app.request('/api/repos/octo-org/gadget/tests')).status).toBe(404);
    const token = badgeToken('badge-secret', 'octo-org/gadget');
    const first = await (await h.app.request(`/api/repos/octo-org/gadget/tests?limit=4&token=${token}`)).json();
    expect(first).toMatchObject({ repo: 'octo-org/gadget', branch: 'main', pr: null });
    expect(first.tests).toHaveLength(4);
    expect(first.cursor).toEqual(expect.any(String));
    const second = await (await h.app.request(`/api/repos/octo-org/gadget/tests?limit=4&token=${token}&cursor=${first.cursor}`)).json();
    expect(second.tests).toHaveLength(2);
    const all = [...first.tests, ...second.tests];
    expect(new Set(all.map((t: { id: string }) => t.id)).size).toBe(6);
    expect(all.find((t: { name: string }) => t.name === FAILING)).toMatchObject({ passRate: 0, runs: 1, flaky: false, lastOutcome: 'failed' });
    expect(all.filter((t: { passRate: number }) => t.passRate === 1)).toHaveLength(5);

    // Newest first: after a second run of only one test, that test leads the list.
    await pushAndRun(14, {
      repo: 'gadget',
      files: { 'one.xml': '<testsuite name="pytest"><testcase classname="tests.test_arm64_basic" name="test_package_import" file="tests/test_arm64_basic.py"/></testsuite>' },
    });
    const again = await (await h.app.request(`/api/repos/octo-org/gadget/tests?limit=2&token=${token}`)).json();
    expect(again.tests[0]).toMatchObject({ name: 'test_package_import', runs: 2, passRate: 1, lastSha: sha(14) });
    expect((await h.app.request(`/api/repos/octo-org/gadget/tests?pr=abc&token=${token}`)).status).toBe(400);
  });
});
