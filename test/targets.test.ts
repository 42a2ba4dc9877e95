/**
 * Named targets end to end: one push of a three-target repository (dgx, graviton, an x86 baseline
 * on GitHub-hosted runners) through the webhook route, dynalite and the GitHub stand-in.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckRunRecord } from '@arm64-ci/github-sim';
import { badgeToken } from '../src/http/badge-token';
import { smokeJUnit } from '../src/local/sandbox';
import { getDispatch } from '../src/store/dispatches';
import { getRefSmoke } from '../src/store/ref-smoke';
import { seedRepo, startHarness, type Harness } from './support/harness';

function sha(n: number): string {
  return n.toString(16).padStart(40, 'd');
}

// The README's three-target example, with an input the graviton target overrides.
const THREE = `workflow: arm64-ci.yml
inputs:
  python-versions: '["3.11"]'
targets:
  dgx:      { runner_labels: [self-hosted, arm64, dgx] }
  graviton: { runner_labels: [self-hosted, arm64, graviton], smoke_tests: { min_pass_rate: 0.8 }, inputs: { python-versions: '["3.12"]' } }
  x86:      { runner_labels: [ubuntu-24.04], baseline: true }
`;

const HEAD = sha(20);

let h: Harness;
beforeEach(async () => {
  h = await startHarness({
    repos: [
      seedRepo({
        files: { '.github/arm64-ci.yml': THREE },
        pulls: [
          { number: 12, headSha: HEAD, headRef: 'feature/x', user: 'maintainer', authorAssociation: 'MEMBER' },
          { number: 13, headSha: sha(50), headRef: 'patch-1', headRepo: 'stranger/widget', user: 'stranger', authorAssociation: 'NONE' },
          { number: 14, headSha: sha(82), headRef: 'fix/backport', baseRef: 'release/1.x', user: 'maintainer', authorAssociation: 'MEMBER' },
        ],
        runners: [{ name: 'dgx-01', labels: ['self-hosted', 'arm64', 'dgx'], status: 'online' }],
      }),
      // Today's single-target file: one target called `default`.
      seedRepo({ name: 'plain' }),
    ],
  });
});
afterEach(async () => {
  expect(h.gh.violations).toEqual([]);
  expect(h.gh.unimplemented).toEqual([]);
  await h.close();
});

const repo = () => h.gh.repo('octo-org', 'widget');
const checks = (headSha: string) => h.gh.checkRuns('octo-org', 'widget').filter((c) => c.headSha === headSha);
const checkNamed = (headSha: string, name: string) =>
  checks(headSha)
    .filter((c) => c.name === name)
    .at(-1)!;
const dispatchesOf = (headSha: string) => h.gh.dispatches.filter((d) => d.inputs.sha === headSha);
const badge = async (file: string, query = '') => h.app.request(`/badges/octo-org/widget/${file}${query}`);

/** One passing and one failing smoke test (5/6 with the seed's JUnit). */
const FILES = { 'results/smoke.xml': smokeJUnit('3.11') };

async function play(
  runId: number,
  opts: {
    conclusion?: 'success' | 'failure';
    runner?: string;
    files?: Record<string, string>;
    extra?: { name: string; files: Record<string, string> }[];
    /** How long the run takes, start to finish. */
    seconds?: number;
  } = {},
) {
  await h.gh.startRun(runId);
  h.clock.advance((opts.seconds ?? 0) * 1000);
  const job = await h.gh.queueJob(runId, { name: 'test (3.11)' });
  await h.gh.startJob(job.id, { runnerName: opts.runner ?? 'dgx-01' });
  await h.gh.completeJob(job.id, opts.conclusion ?? 'success');
  h.gh.addArtifact(runId, { name: 'smoke-test-results', files: opts.files ?? FILES });
  for (const a of opts.extra ?? []) h.gh.addArtifact(runId, a);
  await h.gh.completeRun(runId, opts.conclusion ?? 'success');
  await h.settle();
}

async function targetOf(check: CheckRunRecord): Promise<string | undefined> {
  return (await getDispatch(h.store, 'octo-org/widget', check.externalId!))?.target;
}

describe('a three-target repository', () => {
  it('dispatches each target with its own inputs and labels, and creates a check run per target', async () => {
    const r = await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(1) }));
    expect(r.status).toBe(202);

    const sent = dispatchesOf(sha(1));
    expect(sent).toHaveLength(3);
    expect(sent.map((d) => JSON.parse(String(d.inputs.runner_labels)))).toEqual([
      ['self-hosted', 'arm64', 'dgx'],
      ['self-hosted', 'arm64', 'graviton'],
      ['ubuntu-24.04'],
    ]);
    expect(sent.map((d) => d.inputs['python-versions'])).toEqual(['["3.11"]', '["3.12"]', '["3.11"]']);

    expect(checks(sha(1)).map((c) => c.name).sort()).toEqual(['arm64 CI (dgx)', 'arm64 CI (graviton)', 'arm64 CI (x86)']);
    for (const c of checks(sha(1))) expect(await targetOf(c)).toBe(/\((\w+)\)/.exec(c.name)![1]);

    // graviton has no runner: its check run says so; x86 runs on GitHub's machines, and says nothing about runners.
    expect(checkNamed(sha(1), 'arm64 CI (graviton)').output.summary).toContain('No runner has all the requested labels');
    const x86 = checkNamed(sha(1), 'arm64 CI (x86)');
    expect(x86.output.summary).not.toContain('runner');
    expect(x86.output.title).not.toContain('no runner');
  });

  it('judges each target by its own smoke rules and keeps per-target history and badges', async () => {
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(2) }));
    const [dgx, graviton, x86] = dispatchesOf(sha(2));
    await play(dgx!.runId);
    await play(graviton!.runId, { runner: 'graviton-01' });
    await play(x86!.runId, { runner: 'GitHub Actions 1', files: { 'results/smoke.xml': smokeJUnit('3.11').replace(/>\s*<failure[\s\S]*?<\/failure>\s*<\/testcase>/, '/>') } });

    // 5/6: below dgx's default 100 %, above graviton's 80 %.
    expect(checkNamed(sha(2), 'arm64 CI (dgx)')).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(checkNamed(sha(2), 'arm64 CI (graviton)')).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(checkNamed(sha(2), 'arm64 CI (x86)')).toMatchObject({ status: 'completed', conclusion: 'success' });

    // History per target.
    expect((await getRefSmoke(h.store, 'octo-org/widget', '@dgx:branch:main'))?.runs).toHaveLength(1);
    expect((await getRefSmoke(h.store, 'octo-org/widget', '@x86:branch:main'))?.rollingRate).toBe(1);
    expect(await getRefSmoke(h.store, 'octo-org/widget', 'branch:main')).toBeNull();

    // Badges: no target → the first that is not the baseline (dgx); each target its own.
    expect(await (await badge('status.svg')).text()).toContain('failing');
    expect(await (await badge('status.svg', '?target=dgx')).text()).toContain('failing');
    expect(await (await badge('status.svg', '?target=graviton')).text()).toContain('passing');
    expect(await (await badge('smoke.svg', '?target=x86')).text()).toContain('6/6 (100%)');
    expect(await (await badge('smoke.svg', '?target=graviton&branch=main')).text()).toContain('5/6 (83%)');
    expect(await (await badge('smoke.svg')).text()).toContain('5/6 (83%)');

    // An unknown target is as unknown as an unknown repository.
    const unknown = await badge('status.svg', '?target=nope');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe(await (await h.app.request('/badges/octo-org/nothing/status.svg')).text());
  });

  it('re-runs only the target whose check run asked for it', async () => {
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(3) }));
    const graviton = dispatchesOf(sha(3))[1]!;
    await play(graviton.runId, { runner: 'graviton-01', conclusion: 'failure' });
    const before = dispatchesOf(sha(3)).length;
    const check = checkNamed(sha(3), 'arm64 CI (graviton)');
    await h.send(h.gh.events.checkRunEvent(check, 'rerequested'));
    const after = dispatchesOf(sha(3));
    expect(after).toHaveLength(before + 1);
    expect(JSON.parse(String(after.at(-1)!.inputs.runner_labels))).toEqual(['self-hosted', 'arm64', 'graviton']);
    expect(checks(sha(3)).filter((c) => c.name === 'arm64 CI (graviton)')).toHaveLength(2);
    expect(checks(sha(3))).toHaveLength(4);
  });
});

describe('slash commands with targets', () => {
  const comment = (body: string) => h.gh.events.issueCommentEvent(repo(), { pr: 12, body, user: 'maintainer' });
  const labelsOf = (headSha: string) => dispatchesOf(headSha).map((d) => JSON.parse(String(d.inputs.runner_labels))[2] ?? 'x86');

  it('`run dgx key=value` dispatches that target only; `run` with no target dispatches every target', async () => {
    await h.send(comment(`/arm64 run dgx python-versions='["3.13"]'`));
    expect(labelsOf(HEAD)).toEqual(['dgx']);
    expect(dispatchesOf(HEAD)[0]!.inputs['python-versions']).toBe('["3.13"]');
    expect(checks(HEAD).map((c) => c.name)).toEqual(['arm64 CI (dgx)']);

    await h.send(comment('/arm64 run'));
    expect(labelsOf(HEAD)).toEqual(['dgx', 'dgx', 'graviton', 'x86']);
    expect(h.gh.comments).toEqual([]);
  });

  it('an unknown target is refused with a reply naming the targets; nothing is dispatched', async () => {
    await h.send(comment('/arm64 retest gravitn'));
    expect(h.gh.dispatches).toEqual([]);
    expect(h.gh.comments).toHaveLength(1);
    const body = h.gh.comments[0]!.body;
    expect(body).toContain('there is no target `gravitn`');
    expect(body).toContain('`dgx`, `graviton`, `x86`');
    expect(body).toContain('Did you mean `graviton`?');
  });

  it('`retest graviton` runs graviton again with its own inputs; help names the targets', async () => {
    await h.send(h.gh.events.pullRequestEvent(repo(), 'opened', 12));
    expect(labelsOf(HEAD)).toEqual(['dgx', 'graviton', 'x86']);
    await h.send(comment('/arm64 retest graviton'));
    expect(labelsOf(HEAD)).toEqual(['dgx', 'graviton', 'x86', 'graviton']);
    expect(dispatchesOf(HEAD).at(-1)!.inputs['python-versions']).toBe('["3.12"]');

    await h.send(comment('/arm64 help'));
    expect(h.gh.comments.at(-1)!.body).toContain('Targets: `dgx`, `graviton`, `x86`.');

    // `status` says which target each run is for.
    await h.send(comment('/arm64 status'));
    const status = h.gh.comments.at(-1)!.body;
    expect(status).toContain('| commit | target | trigger | by | state | link |');
    expect(status).toMatch(/\| `dddddd[0-9a-f]` \(head\) \| `graviton` \| re-run \| @maintainer \|/);
  });
});

describe('the merge queue (merge_group)', () => {
  it('checks the queue commit like a push, on every target, with check runs on merge_group.head_sha', async () => {
    const queued = sha(40);
    const r = await h.send(h.gh.events.mergeGroupEvent(repo(), { headSha: queued, pr: 12 }));
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ status: 'accepted' });
    const sent = dispatchesOf(queued);
    expect(sent).toHaveLength(3);
    // Dispatched from the default branch's workflow, pointed at the queue's commit.
    expect(sent.every((d) => d.ref === 'main' && d.inputs.pr === '')).toBe(true);
    expect(checks(queued).map((c) => c.name)).toEqual(['arm64 CI (dgx)', 'arm64 CI (graviton)', 'arm64 CI (x86)']);
    expect(checkNamed(queued, 'arm64 CI (dgx)').output.summary).toContain('the merge queue');

    // Its runs complete as any other, and feed no badge (the queue's branch lives for minutes).
    await play(sent[0]!.runId);
    expect(checkNamed(queued, 'arm64 CI (dgx)')).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(await (await badge('status.svg')).text()).toContain('no runs');

    // The same delivery again is a duplicate; `destroyed` is not used.
    const destroyed = await h.send(h.gh.events.mergeGroupEvent(repo(), { headSha: queued, pr: 12, action: 'destroyed' }));
    expect(destroyed.body).toMatchObject({ status: 'ignored' });
    expect(dispatchesOf(queued)).toHaveLength(3);
  });
});

describe('arm64 against the x86 baseline', () => {
  const ALL_PASS = { 'results/smoke.xml': smokeJUnit('3.11').replace(/>\s*<failure[\s\S]*?<\/failure>\s*<\/testcase>/, '/>') };
  /** x86 runs every test in a tenth of the time. */
  const FAST_X86 = { 'results/smoke.xml': ALL_PASS['results/smoke.xml'].replace(/time="0\.0(\d)"/g, 'time="0.00$1"').replace(/time="0\.0(\d)"/g, 'time="0.00$1"') };

  it('baseline finishing after the arm64 target: the arm64 check run is updated with the comparison, naming the test failing only on arm64', async () => {
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(5) }));
    const [dgx, , x86] = dispatchesOf(sha(5));
    await play(dgx!.runId);
    // Nothing to compare with yet: no x86 run of this commit, none on main.
    expect(checkNamed(sha(5), 'arm64 CI (dgx)').output.summary).not.toContain('compared with');

    await play(x86!.runId, { runner: 'GitHub Actions 1', files: ALL_PASS });
    const summary = checkNamed(sha(5), 'arm64 CI (dgx)').output.summary!;
    expect(summary).toContain('### dgx compared with x86');
    expect(summary).not.toContain('_Baseline:');
    expect(summary).toContain('| Smoke tests | 5/6 (83%) | 6/6 (100%) |');
    expect(summary).toContain('#### Failing only on dgx (1)');
    expect(summary).toContain('**test\\_basic\\_api\\_availability** (x86: passed)');
    expect(summary).toContain('#### Matrix legs');
    // The baseline's own check run compares with nothing.
    expect(checkNamed(sha(5), 'arm64 CI (x86)').output.summary).not.toContain('compared with');
  });

  it('baseline finishing before: the arm64 check run has the comparison at once; a later commit without x86 results compares with main', async () => {
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(6) }));
    const [dgx, , x86] = dispatchesOf(sha(6));
    await play(x86!.runId, { runner: 'GitHub Actions 1', files: FAST_X86 });
    await play(dgx!.runId, { files: ALL_PASS });
    const summary = checkNamed(sha(6), 'arm64 CI (dgx)').output.summary!;
    expect(summary).toContain('### dgx compared with x86');
    expect(summary).toContain('**Test time: dgx takes');
    expect(summary).toContain('#### Largest duration ratios (dgx ÷ x86)');
    expect(summary).not.toContain('Failing only on dgx');

    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(7) }));
    await play(dispatchesOf(sha(7))[0]!.runId, { files: ALL_PASS });
    expect(checkNamed(sha(7), 'arm64 CI (dgx)').output.summary).toContain(
      `_Baseline: the latest run of main (${sha(6).slice(0, 7)}): this commit has no x86 results yet._`,
    );

    // The comparison's test listing pages main's baseline; once this commit's x86 run finishes, the
    // comparison is renewed and a cursor into the old listing is stale.
    const dgx7 = checkNamed(sha(7), 'arm64 CI (dgx)').externalId!;
    const listing = (q: string) => h.app.request(`/api/repos/octo-org/widget/runs/${dgx7}/compare?limit=2${q}`);
    const before = await (await listing('')).json();
    expect(before).toMatchObject({ baseline: { sha: sha(6), sameCommit: false } });
    expect((await listing(`&cursor=${before.cursor}`)).status).toBe(200);
    await play(dispatchesOf(sha(7))[2]!.runId, { runner: 'GitHub Actions 1', files: FAST_X86 });
    const stale = await listing(`&cursor=${before.cursor}`);
    expect(stale.status).toBe(400);
    expect(await stale.json()).toEqual({ error: 'invalid cursor' });
    expect(await (await listing('')).json()).toMatchObject({ baseline: { sha: sha(7), sameCommit: true }, tests: [{}, {}] });
  });
});

describe('a pull request into a branch other than the default', () => {
  const ALL_PASS = { 'results/smoke.xml': smokeJUnit('3.11').replace(/>\s*<failure[\s\S]*?<\/failure>\s*<\/testcase>/, '/>') };
  const wheel = { name: 'wheel', files: { 'pkg-1.0-py3-none-linux_aarch64.whl': 'wheel' } };

  it("compares with its base branch's latest baseline run and artifact sizes, not main's, however it was started", async () => {
    repo().files['.github/arm64-ci.yml'] = `${THREE}triggers:\n  push: [main, "release/*"]\n`;
    // main and release/1.x each have a finished x86 and dgx run (commits told apart by their short sha).
    const [MAIN, RELEASE] = ['a', 'b'].map((c) => c.repeat(40));
    for (const [ref, head] of [['main', MAIN!], ['release/1.x', RELEASE!]] as const) {
      await h.send(h.gh.events.pushEvent(repo(), { ref: `refs/heads/${ref}`, after: head }));
      const [dgx, , x86] = dispatchesOf(head);
      await play(x86!.runId, { runner: 'GitHub Actions 1', files: ALL_PASS });
      await play(dgx!.runId, { extra: [wheel] });
    }

    // Pull request #14 into release/1.x: its dgx run finishes before its x86 run.
    await h.send(h.gh.events.pullRequestEvent(repo(), 'opened', 14));
    await play(dispatchesOf(sha(82))[0]!.runId, { extra: [wheel] });
    const summary = checkNamed(sha(82), 'arm64 CI (dgx)').output.summary!;
    expect(summary).toContain(`_Baseline: the latest run of release/1.x (${RELEASE!.slice(0, 7)}): this commit has no x86 results yet._`);
    expect(summary).toContain(`| Artifact | Size | release/1.x (${RELEASE!.slice(0, 7)}) | Change |`);
    expect(summary).not.toContain(MAIN!.slice(0, 7));

    // A run started by a command on the pull request compares with the same branch.
    await h.send(h.gh.events.issueCommentEvent(repo(), { pr: 14, body: '/arm64 run dgx', user: 'maintainer' }));
    await play(dispatchesOf(sha(82)).at(-1)!.runId, { extra: [wheel] });
    // So does its Re-run button.
    await h.send(h.gh.events.checkRunEvent(checkNamed(sha(82), 'arm64 CI (dgx)'), 'rerequested'));
    await play(dispatchesOf(sha(82)).at(-1)!.runId, { extra: [wheel] });
    // And the merge queue of release/1.x.
    const queued = 'c'.repeat(40);
    await h.send(h.gh.events.mergeGroupEvent(repo(), { headSha: queued, pr: 14, base: 'release/1.x' }));
    await play(dispatchesOf(queued)[0]!.runId, { extra: [wheel] });
    for (const again of [...checks(sha(82)).filter((c) => c.name === 'arm64 CI (dgx)').slice(1), checkNamed(queued, 'arm64 CI (dgx)')]) {
      const text = again.output.summary!;
      expect(text).toContain(`_Baseline: the latest run of release/1.x (${RELEASE!.slice(0, 7)}): this commit has no x86 results yet._`);
      expect(text).not.toContain(MAIN!.slice(0, 7));
    }
  });
});

describe('artifact sizes', () => {
  /** Incompressible content, so the zip's size follows it. */
  const wheel = (bytes: number) => ({ name: 'wheel', files: { 'pkg-1.0-py3-none-linux_aarch64.whl': randomBytes(bytes).toString('base64') } });

  it('records every artifact of a run and warns when one grew more than artifacts.max_growth against main', async () => {
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(11) }));
    await play(dispatchesOf(sha(11))[0]!.runId, { extra: [wheel(30_000)] });
    const first = checkNamed(sha(11), 'arm64 CI (dgx)').output.summary!;
    expect(first).toContain('#### Artifact sizes');
    expect(first).toContain('No run of main to compare sizes with.');
    expect(first).toMatch(/\| wheel \| \d+(\.\d)? KiB \|/);

    // 10 % more is within the limit; 50 % more is not.
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(12) }));
    await play(dispatchesOf(sha(12))[0]!.runId, { extra: [wheel(31_000)] });
    expect(checkNamed(sha(12), 'arm64 CI (dgx)').output.summary).not.toContain('⚠️ **wheel**');

    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(13) }));
    await play(dispatchesOf(sha(13))[0]!.runId, { extra: [wheel(47_000)] });
    const grown = checkNamed(sha(13), 'arm64 CI (dgx)').output.summary!;
    expect(grown).toMatch(/> ⚠️ \*\*wheel\*\* grew \+\d+(\.\d)?% \(.* → .*\), more than the 10% allowed by `artifacts.max_growth`\./);
    expect(grown).toContain(`| Artifact | Size | main (${sha(12).slice(0, 7)}) | Change |`);

    // Each target keeps its own series: graviton's first run has nothing to compare with.
    await play(dispatchesOf(sha(13))[1]!.runId, { runner: 'graviton-01', extra: [wheel(47_000)] });
    expect(checkNamed(sha(13), 'arm64 CI (graviton)').output.summary).toContain('No run of main to compare sizes with.');

    // The dashboard plots each artifact over main's runs of the default badge target (dgx), largest first.
    const api = await (await h.app.request('/api/repos/octo-org/widget')).json();
    expect(api.artifactSizes).toMatchObject({ branch: 'main', target: 'dgx' });
    const [wheelSeries, smokeSeries] = api.artifactSizes.series;
    expect([wheelSeries.name, smokeSeries.name]).toEqual(['wheel', 'smoke-test-results']);
    expect(wheelSeries.points.map((p: { sha: string }) => p.sha)).toEqual([sha(11), sha(12), sha(13)]);
    const bytes = wheelSeries.points.map((p: { bytes: number }) => p.bytes);
    expect(bytes[2]).toBeGreaterThan(bytes[1] * 1.1);
    const page = await (await h.app.request('/repos/octo-org/widget')).text();
    expect(page).toContain('<figure data-artifact="wheel">');
    expect(page).toMatch(/aria-label="Size of wheel on main: 3 runs, now [\d.]+ KiB"/);
  });
});

describe('the dashboard with targets', () => {
  it("charts each target's pass rate and run time over its recent runs on main, with date and value per point", async () => {
    const ALL_PASS = { 'results/smoke.xml': smokeJUnit('3.11').replace(/>\s*<failure[\s\S]*?<\/failure>\s*<\/testcase>/, '/>') };
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(31) }));
    const [dgx1, , x861] = dispatchesOf(sha(31));
    await play(dgx1!.runId, { files: ALL_PASS, seconds: 60 });
    await play(x861!.runId, { runner: 'GitHub Actions 1', files: ALL_PASS, seconds: 30 });
    h.clock.advance(60 * 60_000);
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(32) }));
    const [dgx2, , x862] = dispatchesOf(sha(32));
    await play(dgx2!.runId, { seconds: 90 });
    await play(x862!.runId, { runner: 'GitHub Actions 1', files: ALL_PASS, seconds: 45 });

    // As JSON: each target its own series (graviton never finished a run).
    const api = await (await h.app.request('/api/repos/octo-org/widget')).json();
    const series = api.targets.map((t: { name: string; trend: { points: { rate: number; sha: string }[] }; duration: { points: { value: number; sha: string }[] } }) => [
      t.name,
      t.trend.points.map((p) => [Math.round(p.rate * 100), p.sha]),
      t.duration.points.map((p) => [p.value, p.sha]),
    ]);
    expect(series).toEqual([
      ['dgx', [[100, sha(31)], [83, sha(32)]], [[60, sha(31)], [90, sha(32)]]],
      ['graviton', [], []],
      ['x86', [[100, sha(31)], [100, sha(32)]], [[30, sha(31)], [45, sha(32)]]],
    ]);

    // On the page: a figure per target with runs, two charts each, every point saying its date and value.
    const page = await (await h.app.request('/repos/octo-org/widget')).text();
    const figure = (name: string) => page.match(new RegExp(`<figure data-target-trend="${name}">[\\s\\S]*?</figure>`))?.[0] ?? '';
    expect(figure('graviton')).toBe('');
    const dgx = figure('dgx');
    expect(dgx).toContain('aria-label="Smoke pass rate of dgx on main over the last 2 runs: latest 83%, lowest 83%, highest 100%"');
    expect(dgx).toContain('aria-label="Run time of dgx on main over the last 2 runs: latest 1m 30s, shortest 1m 00s, longest 1m 30s"');
    expect(dgx.match(/data-tip="[^"]*"/g)).toEqual([
      'data-tip="2026-11-25 12:00 UTC · 6/6 passed (100%) · ddddddd"',
      'data-tip="2026-11-25 13:01 UTC · 5/6 passed (83%) · ddddddd"',
      'data-tip="2026-11-25 12:00 UTC · ran 1m 00s · ddddddd"',
      'data-tip="2026-11-25 13:01 UTC · ran 1m 30s · ddddddd"',
    ]);
    expect(figure('x86')).toContain('(baseline)');
  });

  it("follows the plain badge's target in its own charts, lists flaky tests of every target, and reads one target's tests with ?target=", async () => {
    const ALL_PASS = { 'results/smoke.xml': smokeJUnit('3.11').replace(/>\s*<failure[\s\S]*?<\/failure>\s*<\/testcase>/, '/>') };
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(33) }));
    const [dgx, graviton, x86] = dispatchesOf(sha(33));
    await play(dgx!.runId, { files: ALL_PASS, seconds: 60 });
    await play(x86!.runId, { runner: 'GitHub Actions 1', files: ALL_PASS, seconds: 30 });
    // graviton fails one test (5/6 clears its 80 %), then passes it when re-run: flaky on graviton only.
    await play(graviton!.runId, { runner: 'graviton-01', seconds: 50 });
    h.clock.advance(10 * 60_000);
    await h.gh.rerunRun(graviton!.runId);
    await h.settle();
    await play(graviton!.runId, { runner: 'graviton-01', files: ALL_PASS, seconds: 40 });

    const api = await (await h.app.request('/api/repos/octo-org/widget')).json();
    // dgx is what the plain badge shows: the run-time chart and the branch trends are its runs, not a mix.
    expect(api.target).toBe('dgx');
    expect(api.duration.points.map((p: { value: number }) => p.value)).toEqual([60]);
    expect(api.trends[0]).toMatchObject({ branch: 'main', runs: 1, rate: 1 });
    expect(api.flaky).toEqual([expect.objectContaining({ target: 'graviton', name: 'test_basic_api_availability', runs: 2, passRate: 0.5 })]);

    // The branch's recent runs are read once for the page's own run-time chart and each target's.
    const refQueries: string[] = [];
    h.store.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { IndexName?: string };
        if (context.commandName === 'QueryCommand' && input.IndexName === 'gsi2-keys') refQueries.push(input.IndexName);
        return next(args);
      },
      { step: 'initialize', name: 'countRefQueries' },
    );
    const page = await (await h.app.request('/repos/octo-org/widget')).text();
    h.store.doc.middlewareStack.remove('countRefQueries');
    expect(refQueries).toHaveLength(1);
    expect(page).toContain('Run time of <code>dgx</code> on <code>main</code>');
    expect(page).toMatch(/<tr><td>graviton<\/td><td class="text" title="[^"]*::test_basic_api_availability">/);

    const tests = async (query: string) => h.app.request(`/api/repos/octo-org/widget/tests${query}`);
    const dgxTests = await (await tests('')).json();
    expect(dgxTests.target).toBe('dgx');
    expect(dgxTests.tests.length).toBeGreaterThan(0);
    expect(dgxTests.tests.every((t: { lastOutcome: string }) => t.lastOutcome === 'passed')).toBe(true);
    const gravitonTests = await (await tests('?target=GRAVITON')).json();
    expect(gravitonTests.target).toBe('graviton');
    expect(gravitonTests.tests.find((t: { name: string }) => t.name === 'test_basic_api_availability')).toMatchObject({ flaky: true, runs: 2 });
    const unknown = await tests('?target=riscv');
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toBe('there is no target "riscv": this repository\'s targets are dgx, graviton, x86');
  });

  it('shows the targets side by side and the comparison of a run, as a page and as JSON', async () => {
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(30) }));
    const [dgx, graviton, x86] = dispatchesOf(sha(30));
    await play(x86!.runId, { runner: 'GitHub Actions 1', files: { 'results/smoke.xml': smokeJUnit('3.11').replace(/>\s*<failure[\s\S]*?<\/failure>\s*<\/testcase>/, '/>') } });
    await play(dgx!.runId);
    await play(graviton!.runId, { runner: 'graviton-01' });

    const api = await (await h.app.request('/api/repos/octo-org/widget')).json();
    expect(api.targets.map((t: { name: string; baseline: boolean; smoke: string; status: { word: string } }) => [t.name, t.baseline, t.smoke, t.status.word])).toEqual([
      ['dgx', false, '5/6 (83%)', 'failed'],
      ['graviton', false, '5/6 (83%)', 'passed'],
      ['x86', true, '6/6 (100%)', 'passed'],
    ]);
    expect(api.targets[0].ratio).toBeGreaterThan(0);
    expect(api.targets[2].ratio).toBeNull();
    expect(api.targets[0].badges.status).toMatch(/\/badges\/octo-org\/widget\/status\.svg\?target=dgx$/);

    const dgxId = checkNamed(sha(30), 'arm64 CI (dgx)').externalId!;
    const cmp = await (await h.app.request(`/api/repos/octo-org/widget/runs/${dgxId}/compare`)).json();
    expect(cmp).toMatchObject({ run: { target: 'dgx' }, baseline: { target: 'x86', sameCommit: true } });
    expect(cmp.comparison.failingOnlyOnTarget.map((f: { name: string }) => f.name)).toEqual(['test_basic_api_availability']);

    // Every test as a row, the one failing only on dgx first, paged with sealed cursors: each test exactly once.
    const compareApi = (id: string, query = '') => h.app.request(`/api/repos/octo-org/widget/runs/${id}/compare${query}`);
    const seen: { name: string; target: { outcome: string }; baseline: { outcome: string }; ratio: number | null }[] = [];
    let cursor: string | null = null;
    let firstCursor = '';
    do {
      const page = await (await compareApi(dgxId, `?limit=4${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.tests.length).toBeLessThanOrEqual(4);
      seen.push(...page.tests);
      cursor = page.cursor;
      firstCursor ||= cursor ?? '';
    } while (cursor);
    expect(seen.map((t) => t.name)).toEqual([...new Set(seen.map((t) => t.name))]);
    expect(seen).toHaveLength(6);
    expect(seen[0]).toMatchObject({ name: 'test_basic_api_availability', target: { outcome: 'failed' }, baseline: { outcome: 'passed' }, ratio: null });
    expect(seen.slice(1).every((t) => t.ratio !== null)).toBe(true);
    expect(firstCursor).not.toBe('');
    // Forged, edited or borrowed from another run's comparison: 400, nothing read.
    const gravitonId = checkNamed(sha(30), 'arm64 CI (graviton)').externalId!;
    for (const [id, bad] of [
      [dgxId, 'forged'],
      [dgxId, `${firstCursor.slice(0, -2)}AA`],
      [gravitonId, firstCursor],
    ]) {
      const r = await compareApi(id!, `?cursor=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(await r.json()).toEqual({ error: 'invalid cursor' });
    }
    expect(api.targets[0].compareUrl).toBe(`/repos/octo-org/widget/runs/${dgxId}/compare`);

    const page = await (await h.app.request(`/repos/octo-org/widget/runs/${dgxId}/compare`)).text();
    expect(page).toContain('dgx compared with x86');
    expect(page).toContain('test_basic_api_availability');
    const repoPage = await (await h.app.request('/repos/octo-org/widget')).text();
    expect(repoPage).toContain('data-target="graviton"');

    // Unknown runs are not found.
    expect((await h.app.request('/api/repos/octo-org/widget/runs/01JAAAAAAAAAAAAAAAAAAAAAAA/compare')).status).toBe(404);

    // Private: the comparison, the targets and each target's badge close with the repository; its token opens them.
    await h.gh.setVisibility('octo-org', 'widget', 'private');
    await h.settle();
    for (const path of [
      `/repos/octo-org/widget/runs/${dgxId}/compare`,
      `/api/repos/octo-org/widget/runs/${dgxId}/compare`,
      `/api/repos/octo-org/widget/runs/${dgxId}/compare?limit=4&cursor=${firstCursor}`,
      `/api/repos/octo-org/widget/runs/${dgxId}/compare?cursor=forged`,
      '/api/repos/octo-org/widget',
      '/badges/octo-org/widget/status.svg?target=x86',
    ])
      expect((await h.app.request(path)).status, path).toBe(404);
    const token = badgeToken('badge-secret', 'octo-org/widget');
    const opened = await (await h.app.request(`/api/repos/octo-org/widget?token=${token}`)).json();
    expect(opened.targets[0].compareUrl).toBe(`/repos/octo-org/widget/runs/${dgxId}/compare?token=${token}`);
    expect((await h.app.request(`/repos/octo-org/widget/runs/${dgxId}/compare?token=${token}`)).status).toBe(200);
    const second = await (await h.app.request(`/api/repos/octo-org/widget/runs/${dgxId}/compare?limit=4&cursor=${firstCursor}&token=${token}`)).json();
    expect(second.tests.map((t: { name: string }) => t.name)).toEqual(seen.slice(4).map((t) => t.name));
  });
});

describe('a fork pull request with targets', () => {
  it('holds every target until /ok-to-test, which releases each held check run and dispatches every target once', async () => {
    await h.send(h.gh.events.pullRequestEvent(repo(), 'opened', 13));
    expect(dispatchesOf(sha(50))).toEqual([]);
    expect(checks(sha(50)).map((c) => [c.name, c.conclusion])).toEqual([
      ['arm64 CI (dgx)', 'action_required'],
      ['arm64 CI (graviton)', 'action_required'],
      ['arm64 CI (x86)', 'action_required'],
    ]);

    // A maintainer reads the held commit, then approves it.
    h.clock.advance(60_000);
    const ok = h.gh.events.issueCommentEvent(repo(), { pr: 13, body: '/ok-to-test', user: 'maintainer' });
    await h.send(ok);
    expect(dispatchesOf(sha(50)).map((d) => JSON.parse(String(d.inputs.runner_labels)).at(-1))).toEqual(['dgx', 'graviton', 'ubuntu-24.04']);
    const after = checks(sha(50));
    expect(after.filter((c) => c.conclusion === 'neutral')).toHaveLength(3);
    expect(after.filter((c) => c.status === 'queued').map((c) => c.name)).toEqual(['arm64 CI (dgx)', 'arm64 CI (graviton)', 'arm64 CI (x86)']);

    // The same delivery again changes nothing.
    await h.send(ok, { deliveryId: 'redelivered-ok' });
    expect(dispatchesOf(sha(50))).toHaveLength(3);
  });
});

describe('a single-target file', () => {
  it('is one target called default: one dispatch, the plain check name, no target stored, and ?target=default is the plain badge', async () => {
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'plain'), { ref: 'refs/heads/main', after: sha(60) }));
    const sent = h.gh.dispatches.filter((d) => d.repo === 'octo-org/plain');
    expect(sent).toHaveLength(1);
    const [check] = h.gh.checkRuns('octo-org', 'plain');
    expect(check!.name).toBe('arm64 CI');
    const stored = await getDispatch(h.store, 'octo-org/plain', check!.externalId!);
    expect(stored).not.toHaveProperty('target');
    expect(stored).not.toHaveProperty('baseline');
    await play(sent[0]!.runId);
    expect(await getRefSmoke(h.store, 'octo-org/plain', 'branch:main')).not.toBeNull();
    // Its tests read with ?target=default are the plain ones; a named target is refused.
    const plainTests = await (await h.app.request('/api/repos/octo-org/plain/tests?target=default')).json();
    expect(plainTests).not.toHaveProperty('target');
    expect(plainTests.tests).toHaveLength(6);
    const named = await h.app.request('/api/repos/octo-org/plain/tests?target=dgx');
    expect(named.status).toBe(400);
    expect((await named.json()).error).toBe('there is no target "dgx": this repository\'s targets are default');

    const plain = await (await h.app.request('/badges/octo-org/plain/status.svg')).text();
    expect(await (await h.app.request('/badges/octo-org/plain/status.svg?target=default')).text()).toBe(plain);
    expect((await h.app.request('/badges/octo-org/plain/status.svg?target=dgx')).status).toBe(404);
    expect((await (await h.app.request('/api/repos/octo-org/plain')).json()).targets).toBeUndefined();
  });
});

describe('a config that drops targets:', () => {
  it('closes the ?target= badges at the next push', async () => {
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(70) }));
    expect((await badge('status.svg', '?target=graviton')).status).toBe(200);
    repo().files['.github/arm64-ci.yml'] = 'workflow: arm64-ci.yml\nrunner_labels: [self-hosted, arm64, dgx]\n';
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: sha(71) }));
    expect((await badge('status.svg', '?target=graviton')).status).toBe(404);
    expect((await badge('status.svg', '?target=default')).status).toBe(200);
    expect(checks(sha(71)).map((c) => c.name)).toEqual(['arm64 CI']);
  });
});
