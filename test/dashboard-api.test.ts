import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { badgeToken } from '../src/http/badge-token';
import { PUBLIC_URL, startHarness, type Harness } from './support/harness';
import { getFrom } from './support/http';
import { dashboardRepos, pushAndPlay, sha, smokeXml } from './browser/seed';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ repos: dashboardRepos() });
});
afterEach(async () => {
  expect(h.gh.violations).toEqual([]);
  expect(h.gh.unimplemented).toEqual([]);
  await h.close();
});

const get = (path: string) => getFrom(h.app, path);

/** Follows `cursor` from the first page to the last, returning every page's items. */
async function walk<T>(first: string, pick: (body: any) => T[]): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let url: string | null = first;
  while (url) {
    const r = await get(url);
    expect(r.status).toBe(200);
    items.push(...pick(r.json));
    pages++;
    expect(pages).toBeLessThan(50);
    url = r.json.cursor ? `${first}${first.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(r.json.cursor)}` : null;
  }
  return { items, pages };
}

const FAILING = 'test_basic_api_availability';

describe('dashboard JSON', { timeout: 60_000 }, () => {
  it('lists public repositories with their latest status, rolling smoke rate and sparkline points', async () => {
    await pushAndPlay(h, 1);
    await pushAndPlay(h, 2, { files: { 'a.xml': smokeXml({ allPass: true }) } });
    await pushAndPlay(h, 3, { repo: 'gadget' });

    const { status, json } = await get('/api/repos');
    expect(status).toBe(200);
    expect(json.repos.map((r: { repo: string }) => r.repo)).toEqual(['octo-org/widget']);
    const widget = json.repos[0];
    expect(widget).toMatchObject({
      defaultBranch: 'main',
      latest: { sha: sha(2), state: 'completed', conclusion: 'success', status: { word: 'passed', tone: 'ok' } },
      url: '/repos/octo-org/widget',
      badges: { status: '/badges/octo-org/widget/status.svg', smoke: '/badges/octo-org/widget/smoke.svg' },
      smoke: { branch: 'main', runs: 2 },
    });
    expect(widget.smoke.rate).toBeCloseTo(11 / 12, 10);
    // Oldest first, as the sparkline draws them.
    expect(widget.smoke.points.map((p: { sha: string; passed: number; ran: number }) => [p.sha, p.passed, p.ran])).toEqual([
      [sha(1), 5, 6],
      [sha(2), 6, 6],
    ]);
    expect(widget.lastRunAt).toBe(widget.latest.updatedAt);
  });

  it('describes a repository: runs with trigger, duration and smoke counts, trend per branch, badge snippet', async () => {
    const first = await pushAndPlay(h, 1, { queueMs: 30_000, runMs: 120_000 });
    await pushAndPlay(h, 2, { ref: 'refs/heads/release/1.0', files: { 'a.xml': smokeXml({ allPass: true }) } });
    const { json } = await get('/api/repos/octo-org/widget');

    expect(json).toMatchObject({ repo: 'octo-org/widget', defaultBranch: 'main', private: false, cursor: null });
    expect(json.runs).toHaveLength(2);
    const run = json.runs.find((r: { dispatchId: string }) => r.dispatchId === first.dispatchId);
    expect(run).toMatchObject({
      sha: sha(1),
      branch: 'main',
      pr: null,
      trigger: 'push',
      state: 'completed',
      conclusion: 'failure', // 5/6 is below the default min_pass_rate of 100%
      status: { word: 'failed', tone: 'bad' },
      smoke: { passed: 5, failed: 1, total: 6, rateText: '5/6 (83%)' },
      url: `/repos/octo-org/widget/runs/${first.dispatchId}`,
    });
    expect(run.durationSeconds).toBeGreaterThanOrEqual(150);
    // Storage keys stay inside.
    expect(Object.keys(run)).not.toEqual(expect.arrayContaining(['pk']));
    expect(JSON.stringify(json)).not.toMatch(/"(pk|sk|gsi1pk|gsi2pk|ttl)"/);

    expect(json.trends.map((t: { branch: string; points: unknown[] }) => [t.branch, t.points.length])).toEqual([
      ['main', 1],
      ['release/1.0', 1],
    ]);
    expect(json.badge.markdown).toBe(
      `[![arm64 status](${PUBLIC_URL}/badges/octo-org/widget/status.svg)](${PUBLIC_URL}/repos/octo-org/widget) ` +
        `[![smoke tests](${PUBLIC_URL}/badges/octo-org/widget/smoke.svg)](${PUBLIC_URL}/repos/octo-org/widget)`,
    );
    expect(json.flaky).toEqual([]);
    // Queue time is dispatch → job start: 30 s for the first run's jobs, 45 s (the default) for the second's.
    expect(json.queue).toEqual([
      {
        labels: ['arm64', 'dgx', 'self-hosted'],
        jobs: 4,
        queueSeconds: { count: 4, p50: 30, p90: 45 },
        durationSeconds: { count: 4, p50: 95, p90: 120 },
      },
    ]);
  });

  it('shows one run: matrix jobs with runner and queue time, tests failing first, the smoke summary and GitHub links', async () => {
    const { dispatchId, runId } = await pushAndPlay(h, 1, { queueMs: 30_000, runMs: 120_000 });
    const { status, json } = await get(`/api/repos/octo-org/widget/runs/${dispatchId}`);
    expect(status).toBe(200);
    expect(json.run).toMatchObject({ dispatchId, sha: sha(1), conclusion: 'failure' });
    expect(json.jobs).toHaveLength(2);
    expect(json.jobs[0]).toMatchObject({
      name: 'test (3.10)',
      matrix: ['3.10'],
      runnerName: 'dgx-01',
      labels: ['self-hosted', 'arm64', 'dgx'],
      status: { word: 'passed', tone: 'ok' },
      queueSeconds: 30,
      durationSeconds: 120,
    });
    expect(json.tests).toHaveLength(6);
    expect(json.tests[0]).toMatchObject({ name: FAILING, outcome: 'failed', flaky: false });
    expect(json.tests.slice(1).every((t: { outcome: string }) => t.outcome === 'passed')).toBe(true);
    expect(json.tests[0].id).toContain(FAILING);
    expect(json.testsTotal).toBe(6);
    expect(json.smoke).toMatchObject({ passed: 5, failed: 1, total: 6, rateText: '5/6 (83%)', attempt: 1 });
    expect(json.smoke.rule).toContain('below the required 100%');
    expect(json.smoke.markdown).toContain('### Smoke tests: 5/6 (83%)');
    expect(json.links.workflowRun).toMatch(new RegExp(`/octo-org/widget/actions/runs/${runId}$`));
    expect(json.links.commit).toMatch(new RegExp(`/octo-org/widget/commit/${sha(1)}$`));

    expect((await get(`/api/repos/octo-org/widget/runs/01JNOTARUN0000000000000000`)).status).toBe(404);
  });

  it('shows one run’s smoke section as data; results stored before it was kept link to the check run instead', async () => {
    const { dispatchId } = await pushAndPlay(h, 1);
    const { json } = await get(`/api/repos/octo-org/widget/runs/${dispatchId}`);
    expect(json.smoke.report).toMatchObject({ state: 'read', counts: { passed: 5, failed: 1, total: 6 }, failing: { total: 1 } });
    expect(json.smoke.report.failing.items[0]).toMatchObject({ outcome: 'failed', file: 'a.xml' });
    expect(json.smoke.report.failing.items[0].message).toContain('ipfs_kit_py.api is not available on aarch64');
    const check = h.gh.checkRuns('octo-org', 'widget').find((c) => c.externalId === dispatchId)!;
    expect(json.links.checkRun).toMatch(new RegExp(`/octo-org/widget/runs/${check.id}$`));

    const page = await get(`/repos/octo-org/widget/runs/${dispatchId}`);
    expect(page.text).toContain('<h3>Smoke tests: 5/6 (83%)</h3>');
    expect(page.text).not.toContain('the check run on GitHub');

    // As a result item written before the section was kept as data.
    const result = (await h.items()).find((i) => i.type === 'smoke-result' && i.dispatchId === dispatchId)!;
    await h.store.doc.send(new UpdateCommand({ TableName: h.store.table, Key: { pk: result.pk, sk: result.sk }, UpdateExpression: 'REMOVE report' }));
    const old = await get(`/repos/octo-org/widget/runs/${dispatchId}`);
    expect(old.status).toBe(200);
    expect(old.text).not.toContain('<h3>Smoke tests');
    expect(old.text).toMatch(new RegExp(`The details are in <a href="[^"]*/octo-org/widget/runs/${check.id}">the check run on GitHub</a>`));
    expect((await get(`/api/repos/octo-org/widget/runs/${dispatchId}`)).json.smoke).toMatchObject({ report: null, rateText: '5/6 (83%)' });
  });

  it('pages with cursors: every run, test and repository exactly once', async () => {
    // One job each, results only where the test list is walked: the walk is what is under test.
    const light = { jobs: ['test (3.10)'], files: null };
    const ids: string[] = [(await pushAndPlay(h, 1, { jobs: ['test (3.10)'] })).dispatchId];
    for (let n = 2; n <= 5; n++) ids.push((await pushAndPlay(h, n, light)).dispatchId);
    await pushAndPlay(h, 6, { ...light, repo: 'gizmo' });
    await pushAndPlay(h, 7, { ...light, repo: 'gadget' });

    const runs = await walk('/api/repos/octo-org/widget/runs?limit=2', (b) => b.runs.map((r: { dispatchId: string }) => r.dispatchId));
    expect(runs.items).toEqual([...ids].reverse()); // newest first, each once
    expect(runs.pages).toBeGreaterThanOrEqual(3);

    const page = await walk('/api/repos/octo-org/widget?limit=2', (b) => b.runs.map((r: { dispatchId: string }) => r.dispatchId));
    expect(page.items).toEqual([...ids].reverse());

    const tests = await walk(`/api/repos/octo-org/widget/runs/${ids[0]}?limit=4`, (b) => b.tests.map((t: { name: string }) => t.name));
    expect(tests.pages).toBe(2);
    expect(tests.items).toHaveLength(6);
    expect(new Set(tests.items).size).toBe(6);
    expect(tests.items[0]).toBe(FAILING);

    const repos = await walk('/api/repos?limit=1', (b) => b.repos.map((r: { repo: string }) => r.repo));
    expect(repos.items.sort()).toEqual(['octo-org/gizmo', 'octo-org/widget']);

    // A cursor from another listing is the reader's mistake: 400, not 500.
    const widgetCursor = (await get('/api/repos/octo-org/widget/runs?limit=1')).json.cursor;
    expect(await get(`/api/repos/octo-org/gizmo/runs?cursor=${widgetCursor}`)).toMatchObject({ status: 400, json: { error: 'invalid cursor' } });
    expect((await get(`/api/repos?cursor=${widgetCursor}`)).status).toBe(400);

    // Out-of-range limits are clamped, not errors.
    expect((await get('/api/repos/octo-org/widget/runs?limit=0')).json.runs).toHaveLength(1);
    expect((await get('/api/repos/octo-org/widget/runs?limit=5000')).json.runs).toHaveLength(5);
  }, 90_000);
});

describe('privacy', { timeout: 60_000 }, () => {
  it('answers for a private repository exactly as for an unknown one unless the request carries its token', async () => {
    const { dispatchId } = await pushAndPlay(h, 1, { repo: 'gadget' });
    const token = badgeToken('badge-secret', 'octo-org/gadget');
    const otherToken = badgeToken('badge-secret', 'octo-org/widget');

    for (const [hidden, unknown] of [
      ['/api/repos/octo-org/gadget', '/api/repos/octo-org/nope'],
      ['/api/repos/octo-org/gadget/runs', '/api/repos/octo-org/nope/runs'],
      [`/api/repos/octo-org/gadget/runs/${dispatchId}`, `/api/repos/octo-org/nope/runs/${dispatchId}`],
      ['/repos/octo-org/gadget', '/repos/octo-org/nope'],
      [`/repos/octo-org/gadget/runs/${dispatchId}`, `/repos/octo-org/nope/runs/${dispatchId}`],
    ] as const) {
      for (const suffix of ['', `?token=${otherToken}`, '?token=wrong']) {
        const a = await get(hidden + suffix);
        const b = await get(unknown + suffix);
        expect(a.status).toBe(404);
        expect([a.status, a.text, a.headers.get('content-type')]).toEqual([b.status, b.text, b.headers.get('content-type')]);
      }
      expect((await get(`${hidden}?token=${token}`)).status).toBe(200);
    }

    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('gadget');
    expect(JSON.stringify((await get('/api/repos')).json)).not.toContain('gadget');
    const runners = await get('/runners');
    expect(runners.text).not.toContain('gadget');
    expect(runners.text).not.toContain('secret-runner-9');

    // With the token, the pages keep it in their links and the snippet carries it.
    const page = await get(`/repos/octo-org/gadget?token=${token}`);
    expect(page.text).toContain(`/repos/octo-org/gadget/runs/${dispatchId}?token=${token}`);
    const api = (await get(`/api/repos/octo-org/gadget?token=${token}`)).json;
    expect(api.badge.markdown).toContain(`/badges/octo-org/gadget/status.svg?token=${token}`);
    expect(api.runs[0].url).toBe(`/repos/octo-org/gadget/runs/${dispatchId}?token=${token}`);
  });
});

describe('pages', { timeout: 60_000 }, () => {
  it('send security headers with a CSP that pins the inline script by hash', async () => {
    await pushAndPlay(h, 1);
    const r = await get('/repos/octo-org/widget');
    expect(r.status).toBe(200);
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const script = /<script>([\s\S]*?)<\/script>/.exec(r.text)![1]!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    const style = /<style>([\s\S]*?)<\/style>/.exec(r.text)![1]!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    // Badges are images for GitHub's proxy: no page CSP on them.
    expect((await h.app.request('/badges/octo-org/widget/status.svg')).headers.get('content-security-policy')).toBeNull();
  });

  it('shows test names and messages from JUnit as text, never as HTML', async () => {
    const evil = '&lt;img src=x onerror=alert(1)&gt;';
    const { dispatchId } = await pushAndPlay(h, 1, { files: { 'a.xml': smokeXml({ rename: { [FAILING]: evil } }) } });
    const r = await get(`/repos/octo-org/widget/runs/${dispatchId}`);
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('<img src=x');
    expect(r.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(r.text).toContain('<h2>Check-run summary</h2>');
  });
});
