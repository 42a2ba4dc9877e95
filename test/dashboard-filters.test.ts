/**
 * The run filters and live polling through the JSON API and the pages: every filter field, paging
 * a filtered listing with sealed cursors, bad values answered 400 the same for any repository,
 * ETags, and the script and headers the live pages rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeToken } from '../src/http/badge-token';
import { batchPut } from '../src/store/dynamo';
import { dispatchItem } from '../src/store/dispatches';
import { startHarness, type Harness } from './support/harness';
import { getFrom } from './support/http';
import { dashboardRepos, pushAndPlay, smokeXml } from './browser/seed';

let h: Harness;
const ids = { main: [] as string[], release: '', running: '', pr: '', gadget: '' };

beforeAll(async () => {
  // widget gets a same-repository pull request (trusted: it runs without /ok-to-test).
  const repos = dashboardRepos();
  repos[0] = { ...repos[0]!, pulls: [{ number: 12, headSha: 'c'.repeat(40), headRef: 'feature/x', user: 'contributor', authorAssociation: 'MEMBER' }] };
  h = await startHarness({ repos });
  ids.main.push((await pushAndPlay(h, 1, { conclusion: 'failure' })).dispatchId);
  ids.main.push((await pushAndPlay(h, 2, { files: { 'a.xml': smokeXml({ allPass: true }) } })).dispatchId);
  ids.main.push((await pushAndPlay(h, 3, { files: { 'a.xml': smokeXml({ allPass: true }) } })).dispatchId);
  ids.release = (await pushAndPlay(h, 4, { ref: 'refs/heads/release/1.0', files: { 'a.xml': smokeXml({ allPass: true }) } })).dispatchId;
  ids.running = (await pushAndPlay(h, 5, { unfinished: true })).dispatchId;
  await h.send(h.gh.events.pullRequestEvent(h.gh.repo('octo-org', 'widget'), 'opened', 12));
  await h.settle();
  ids.pr = (await get('/api/repos/octo-org/widget/runs?pr=12')).json.runs[0]?.dispatchId ?? '';
  ids.gadget = (await pushAndPlay(h, 6, { repo: 'gadget' })).dispatchId;
}, 120_000);

afterAll(async () => {
  if (!h) return;
  expect(h.gh.violations).toEqual([]);
  await h.close();
});

const get = (path: string, headers: Record<string, string> = {}) => getFrom(h.app, path, headers);

const runIds = async (query: string) => {
  const r = await get(`/api/repos/octo-org/widget/runs?${query}`);
  expect(r.status, r.text).toBe(200);
  return r.json.runs.map((x: { dispatchId: string }) => x.dispatchId) as string[];
};

describe('run filters in the JSON API', { timeout: 60_000 }, () => {
  it('each field selects the runs it names, newest first, and the answer echoes the filter', async () => {
    const all = await runIds('');
    expect(all).toHaveLength(6);
    expect(await runIds('branch=release%2F1.0')).toEqual([ids.release]);
    expect(await runIds('pr=12')).toEqual([ids.pr]);
    expect(await runIds('pr=%2312')).toEqual([ids.pr]);
    expect(await runIds('status=in_progress')).toEqual([ids.running]);
    expect(await runIds('status=failure')).toEqual([ids.main[0]]);
    expect(await runIds('status=success')).toEqual([ids.release, ids.main[2], ids.main[1]]);
    expect(await runIds('status=completed')).toEqual([ids.release, ids.main[2], ids.main[1], ids.main[0]]);
    // Every run so far is the default target (targets came later); a named one matches none.
    expect(await runIds('target=default')).toEqual(all);
    expect(await runIds('target=dgx')).toEqual([]);
    // Blank values are "any", as a form sends them.
    expect(await runIds('branch=&pr=&status=&target=&author=')).toEqual(all);
    const r = await get('/api/repos/octo-org/widget/runs?branch=main&status=success');
    expect(r.json.filter).toEqual({ branch: 'main', status: 'success' });
    // Single-target runs carry no named target: the filter calls them default.
    expect(r.json.runs.every((x: { branch: string; target: string | null }) => x.branch === 'main' && x.target === null)).toBe(true);
  });

  it('author matches the login that triggered the run, ignoring case', async () => {
    const all = await get('/api/repos/octo-org/widget/runs');
    const pusher = all.json.runs.find((x: { dispatchId: string }) => x.dispatchId === ids.main[0]).actor as string;
    expect(pusher).toBeTruthy();
    const byPusher = await runIds(`author=${encodeURIComponent(pusher.toUpperCase())}`);
    const expected = all.json.runs.filter((x: { actor: string | null }) => x.actor?.toLowerCase() === pusher.toLowerCase()).map((x: { dispatchId: string }) => x.dispatchId);
    expect(byPusher).toEqual(expected);
    expect(byPusher).toContain(ids.main[0]);
    expect(await runIds('author=nobody-at-all')).toEqual([]);
  });

  it('the repository view takes the same filters', async () => {
    const r = await get('/api/repos/octo-org/widget?status=failure');
    expect(r.status).toBe(200);
    expect(r.json.runs.map((x: { dispatchId: string }) => x.dispatchId)).toEqual([ids.main[0]]);
    expect(r.json.filter).toEqual({ status: 'failure' });
    expect(r.json.duration.points.length).toBeGreaterThan(0);
    expect(r.json.queueTrend.points.length).toBeGreaterThan(0);
  });

  it('the repository view’s run-time chart is the default branch’s finished runs whatever page or filter is shown', async () => {
    // The first full page serves the chart from its own runs; a short, later or filtered page
    // reads the branch's runs from the index: the same points either way.
    const first = await get('/api/repos/octo-org/widget?limit=2');
    expect(first.json.cursor).toBeTruthy();
    const paths = [
      '/api/repos/octo-org/widget',
      '/api/repos/octo-org/widget?limit=2',
      `/api/repos/octo-org/widget?limit=2&cursor=${encodeURIComponent(first.json.cursor)}`,
      '/api/repos/octo-org/widget?branch=release%2F1.0',
    ];
    const whole = (await get(paths[0]!)).json.duration;
    expect(whole.points.map((p: { dispatchId: string }) => p.dispatchId)).toEqual(ids.main);
    for (const path of paths.slice(1)) expect((await get(path)).json.duration, path).toEqual(whole);
  });

  it('pages a filtered listing with sealed cursors: every match exactly once, cursors bound to their filter', async () => {
    const seen: string[] = [];
    let url: string | null = '/api/repos/octo-org/widget/runs?status=completed&limit=1';
    let first: string | null = null;
    for (let i = 0; url && i < 10; i++) {
      const r = await get(url);
      expect(r.status).toBe(200);
      seen.push(...r.json.runs.map((x: { dispatchId: string }) => x.dispatchId));
      first ??= r.json.cursor;
      url = r.json.cursor ? `/api/repos/octo-org/widget/runs?status=completed&limit=1&cursor=${encodeURIComponent(r.json.cursor)}` : null;
    }
    expect(seen).toEqual(await runIds('status=completed'));
    // A cursor given back with another filter, or with none, is refused before the store is read.
    expect((await get(`/api/repos/octo-org/widget/runs?status=success&limit=1&cursor=${first}`)).json).toEqual({ error: 'invalid cursor' });
    expect((await get(`/api/repos/octo-org/widget/runs?limit=1&cursor=${first}`)).status).toBe(400);
    const plain = (await get('/api/repos/octo-org/widget/runs?limit=1')).json.cursor;
    expect((await get(`/api/repos/octo-org/widget/runs?status=completed&cursor=${plain}`)).status).toBe(400);
  });

  it('a bad value is a 400 naming it, the same for a public, a private and an unknown repository', async () => {
    const cases: [string, RegExp][] = [
      ['status=passed', /^invalid status: use one of queued, in_progress, awaiting_approval, completed, success, failure, cancelled$/],
      ['pr=abc', /^invalid pr/],
      ['target=9x', /^invalid target/],
      ['author=a%20b', /^invalid author/],
      [`branch=${'x'.repeat(300)}`, /^invalid branch/],
    ];
    for (const [query, reason] of cases) {
      const answers = [];
      for (const repo of ['octo-org/widget', 'octo-org/gadget', 'octo-org/no-such-repo']) {
        for (const path of [`/api/repos/${repo}/runs`, `/api/repos/${repo}`]) {
          const r = await get(`${path}?${query}`);
          expect(r.status, `${path}?${query}`).toBe(400);
          expect(r.json.error).toMatch(reason);
          answers.push(r.text);
        }
      }
      expect(new Set(answers).size).toBe(1);
    }
  });

  it('the page answers a bad filter with 400 and the reason, and the filter form keeps what was asked', async () => {
    const bad = await get('/repos/octo-org/widget?pr=0');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('invalid pr: give a pull request number');
    const page = await get('/repos/octo-org/widget?branch=release%2F1.0&status=success');
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="release/1.0"');
    expect(page.text).toMatch(/<option value="success" selected="">/);
    expect(page.text.match(/data-run="/g)).toHaveLength(1);
    // The live region polls the filtered runs JSON.
    expect(page.text).toContain('data-live="/api/repos/octo-org/widget/runs?branch=release%2F1.0&amp;status=success"');
  });

  it('the home JSON carries each repository’s run-time and queue-time series, dated, oldest first', async () => {
    const widget = (await get('/api/repos')).json.repos.find((r: { repo: string }) => r.repo === 'octo-org/widget');
    // Three finished runs on main (the fourth is still running; release/1.0 is another branch).
    expect(widget.duration.points).toHaveLength(3);
    expect(widget.duration.points.map((p: { dispatchId: string }) => p.dispatchId)).toEqual(ids.main);
    for (const p of [...widget.duration.points, ...widget.queue.points]) {
      expect(Date.parse(p.at)).not.toBeNaN();
      expect(typeof p.value).toBe('number');
    }
    expect(widget.duration.latest).toBe(widget.duration.points.at(-1).value);
    // Every run whose jobs started, on any branch, has a queue time: 45 s in the seed.
    expect(widget.queue.points.length).toBeGreaterThanOrEqual(5);
    expect(widget.queue.latest).toBe(45);
    expect(widget.smoke.points.every((p: { at: string }) => !Number.isNaN(Date.parse(p.at)))).toBe(true);
  });

  it('nothing anonymous names the private repository: the home table, its series and the runners', async () => {
    for (const path of ['/', '/api/repos', '/runners', '/api/runners', '/api/repos?limit=1']) {
      const r = await get(path);
      expect(r.status).toBe(200);
      expect(r.text).not.toMatch(/gadget/i);
      expect(r.text).not.toContain(ids.gadget);
    }
  });

  it('a private repository is filtered only with its token, and its links keep the token', async () => {
    const token = badgeToken('badge-secret', 'octo-org/gadget');
    expect((await get('/api/repos/octo-org/gadget/runs?status=completed')).status).toBe(404);
    const r = await get(`/api/repos/octo-org/gadget/runs?status=completed&token=${token}`);
    expect(r.json.runs.map((x: { dispatchId: string }) => x.dispatchId)).toEqual([ids.gadget]);
    const page = await get(`/repos/octo-org/gadget?status=completed&token=${token}`);
    expect(page.text).toContain(`<input type="hidden" name="token" value="${token}"/>`);
  });
});

describe('live polling', { timeout: 60_000 }, () => {
  it('the JSON carries an ETag; asking again with it is a bodiless 304 until something changes', async () => {
    const url = `/api/repos/octo-org/widget/runs/${ids.main[0]}`;
    const a = await get(url);
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toBe('no-cache');
    const tag = a.headers.get('etag')!;
    expect(tag).toMatch(/^"[0-9a-f]{40}"$/);
    const b = await get(url, { 'If-None-Match': tag });
    expect(b.status).toBe(304);
    expect(b.text).toBe('');
    // The running run changes as the clock moves (its duration so far): a new ETag.
    const running = `/api/repos/octo-org/widget/runs/${ids.running}`;
    const before = (await get(running)).headers.get('etag')!;
    h.clock.advance(5_000);
    const after = await get(running, { 'If-None-Match': before });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
  });

  it('a paged answer polled again keeps its cursor and ETag: a 304, not a new body each time', async () => {
    const url = '/api/repos/octo-org/widget/runs?status=completed&limit=1';
    const a = await get(url);
    expect(a.json.cursor).toEqual(expect.any(String));
    h.clock.advance(1_000);
    const b = await get(url, { 'If-None-Match': a.headers.get('etag')! });
    expect(b.status).toBe(304);
    expect((await get(url)).json.cursor).toBe(a.json.cursor);
  });

  it('a 404 has no ETag: a private repository does not answer 304 to a guessed tag', async () => {
    const r = await get(`/api/repos/octo-org/gadget/runs/${ids.gadget}`, { 'If-None-Match': '*' });
    expect(r.status).toBe(404);
    expect(r.headers.get('etag')).toBeNull();
  });

  it('pages say where to poll: a run in flight closely, a finished run not at all once its results are in', async () => {
    const running = await get(`/repos/octo-org/widget/runs/${ids.running}`);
    expect(running.text).toContain(`data-live="/api/repos/octo-org/widget/runs/${ids.running}" data-live-every="3000"`);
    h.clock.advance(10 * 60_000);
    const done = await get(`/repos/octo-org/widget/runs/${ids.main[0]}`);
    expect(done.text).not.toContain('data-live=');
    expect((await get('/')).text).toContain('data-live="/api/repos"');
  });

  it('serves the dashboard script, and the pages’ CSP allows it and its requests, nothing else', async () => {
    const js = await get('/assets/dashboard.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.text).toContain('If-None-Match');
    const page = await get('/repos/octo-org/widget');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self' 'sha256-[^']+'/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.text).toContain('<script src="/assets/dashboard.js" defer="">');
    // No inline event handlers anywhere.
    expect(page.text).not.toMatch(/\son[a-z]+=/);
  });
});

describe('a filter over many runs', { timeout: 120_000 }, () => {
  it('reads at most 500 runs a request: rare matches come on later pages, each exactly once', async () => {
    await pushAndPlay(h, 7, { repo: 'gizmo' });
    // 700 older runs of gizmo written straight to the store: the two oldest on a rarely used branch.
    const t0 = Date.parse('2026-11-01T00:00:00Z');
    const items = Array.from({ length: 700 }, (_, i) =>
      dispatchItem({
        dispatchId: `01KAAAAAAA${String(i).padStart(16, '0')}`,
        repo: 'octo-org/gizmo',
        installationId: 1,
        private: false,
        sha: String(i).padStart(40, 'e'),
        branch: i < 2 ? 'rare' : 'main',
        pr: null,
        trigger: 'push',
        actor: 'octo-org',
        deliveryId: `d${i}`,
        workflow: 'arm64-ci.yml',
        ref: 'main',
        runnerLabels: ['self-hosted'],
        inputs: {},
        checkName: 'arm64',
        checkRunId: null,
        state: 'completed',
        progress: 100,
        attempt: 1,
        conclusion: 'success',
        workflowRunId: null,
        workflowRunUrl: null,
        notes: [],
        createdAt: new Date(t0 + i * 60_000).toISOString(),
        dispatchedAt: null,
        startedAt: null,
        completedAt: null,
        historyDays: 90,
      }),
    );
    await batchPut(h.store, items);
    const pages: { runs: string[]; cursor: string | null }[] = [];
    let url: string | null = '/api/repos/octo-org/gizmo/runs?branch=rare&limit=25';
    while (url && pages.length < 10) {
      const r = await get(url);
      expect(r.status).toBe(200);
      pages.push({ runs: r.json.runs.map((x: { dispatchId: string }) => x.dispatchId), cursor: r.json.cursor });
      url = r.json.cursor ? `/api/repos/octo-org/gizmo/runs?branch=rare&limit=25&cursor=${encodeURIComponent(r.json.cursor)}` : null;
    }
    // The first request read the newest 500 (none match) and says where to go on.
    expect(pages[0]).toEqual({ runs: [], cursor: expect.any(String) });
    expect(pages.flatMap((p) => p.runs)).toEqual([items[1]!.dispatchId, items[0]!.dispatchId]);
    expect(pages.at(-1)!.cursor).toBeNull();
    expect(pages).toHaveLength(2);
  });
});
