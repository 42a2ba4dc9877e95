/**
 * Private stays private: every attack an anonymous reader can make on the dashboard, the JSON API
 * and the badges, through the real routes, dynalite and the GitHub stand-in, one test per attack.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { badgeToken } from '../src/http/badge-token';
import { validateWebhookPayload } from '@arm64-ci/github-sim';
import { createLogger } from '../src/log';
import { createApp } from '../src/wiring/app';
import { dashboardRepos, pushAndPlay, smokeXml } from './browser/seed';
import { seedRepo, startHarness, WEBHOOK_SECRET, type Harness } from './support/harness';

let h: Harness;
afterEach(async () => {
  expect(h.gh.violations).toEqual([]);
  expect(h.gh.unimplemented).toEqual([]);
  await h.close();
});

const TOKEN_SECRET = 'badge-secret'; // the rig's BADGE_SECRET

interface Got {
  status: number;
  text: string;
  json: any;
  headers: [string, string][];
}
async function get(path: string, app = h.app): Promise<Got> {
  const r = await app.request(path);
  const text = await r.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // HTML or SVG
  }
  return { status: r.status, text, json, headers: [...r.headers.entries()].sort() };
}

/** Everything a curious reader might try on an opaque string to read it. */
function readings(s: string): string[] {
  const out = [s];
  try {
    out.push(decodeURIComponent(s));
  } catch {
    // not percent-encoded
  }
  for (const enc of ['base64', 'base64url', 'hex'] as const) {
    const bytes = Buffer.from(s, enc);
    out.push(bytes.toString('utf8'), bytes.toString('latin1'), bytes.toString('utf16le'));
    try {
      out.push(JSON.stringify(JSON.parse(bytes.toString('utf8'))));
    } catch {
      // not JSON
    }
  }
  return out;
}

/** The "more" links of an HTML page (Older runs, More tests, More repositories, Runners of more repositories). */
const moreLinks = (html: string) =>
  [...html.matchAll(/<p class="more"><a href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

const withParam = (path: string, key: string, value: string) => `${path}${path.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;

describe('privacy of listings and cursors', { timeout: 120_000 }, () => {
  it('a cursor never names a private repository: every list paged one item at a time, every cursor and "more" link decoded', async () => {
    // alpha, gizmo and widget are public; gadget, private, sorts between them.
    h = await startHarness({ repos: [seedRepo({ name: 'alpha' }), ...dashboardRepos()] });
    const light = { jobs: ['test (3.10)'] };
    const widgetRuns = [];
    for (let n = 1; n <= 3; n++) widgetRuns.push((await pushAndPlay(h, n, light)).dispatchId);
    const hidden = [(await pushAndPlay(h, 10, { ...light, repo: 'gadget' })).dispatchId, (await pushAndPlay(h, 11, { ...light, repo: 'gadget' })).dispatchId];
    await pushAndPlay(h, 20, { ...light, repo: 'gizmo' });
    await pushAndPlay(h, 30, { ...light, repo: 'alpha' });
    const secrets = [/gadget/i, /secret-runner-9/, ...hidden.map((id) => new RegExp(id, 'i'))];

    const seen = { cursors: 0, links: 0, pages: 0 };
    const expectNothingPrivate = (text: string, where: string) => {
      for (const reading of readings(text)) for (const s of secrets) expect(reading, `${where} reveals ${s}`).not.toMatch(s);
    };

    /** Pages a JSON list with ?limit=1, returning the items of each page. */
    async function walkJson<T>(first: string, pick: (b: any) => T[]): Promise<T[][]> {
      const pages: T[][] = [];
      let url: string | null = first;
      while (url) {
        const r = await get(url);
        expect(r.status, url).toBe(200);
        expectNothingPrivate(r.text, url);
        seen.pages++;
        pages.push(pick(r.json));
        const cursor: string | null = r.json.cursor;
        if (cursor !== null) {
          seen.cursors++;
          expectNothingPrivate(cursor, `cursor of ${url}`);
        }
        url = cursor ? withParam(first, 'cursor', cursor) : null;
        expect(pages.length).toBeLessThan(40);
      }
      return pages;
    }

    /** Follows an HTML page's "more" link until there is none, decoding each link. */
    async function walkHtml(first: string): Promise<number> {
      let url: string | null = first;
      let pages = 0;
      while (url) {
        const r = await get(url);
        expect(r.status, url).toBe(200);
        expectNothingPrivate(r.text, url);
        seen.pages++;
        pages++;
        const [link] = moreLinks(r.text);
        if (link) {
          seen.links++;
          expectNothingPrivate(link, `more link of ${url}`);
          const cursor = new URL(link, 'http://x').searchParams.get('cursor')!;
          expectNothingPrivate(cursor, `cursor in the more link of ${url}`);
          url = withParam(link, 'limit', '1');
        } else url = null;
        expect(pages).toBeLessThan(40);
      }
      return pages;
    }

    // Home and runner listings: one public repository per page, never a short page, never an empty
    // last one (both would count the private repository in between).
    const home = await walkJson('/api/repos?limit=1', (b) => b.repos.map((r: { repo: string }) => r.repo));
    expect(home).toEqual([['octo-org/alpha'], ['octo-org/gizmo'], ['octo-org/widget']]);
    const byTwo = await walkJson('/api/repos?limit=2', (b) => b.repos.map((r: { repo: string }) => r.repo));
    expect(byTwo).toEqual([['octo-org/alpha', 'octo-org/gizmo'], ['octo-org/widget']]);
    const pools = await walkJson('/api/runners?limit=1', (b) => b.repos.map((r: { repo: string }) => r.repo));
    expect(pools).toEqual([['octo-org/alpha'], ['octo-org/gizmo'], ['octo-org/widget']]);
    expect(await walkHtml('/?limit=1')).toBe(3);
    expect(await walkHtml('/runners?limit=1')).toBe(3);

    // A public repository's lists: runs (alone and in the repository view), tests, a run's tests.
    const runs = await walkJson('/api/repos/octo-org/widget/runs?limit=1', (b) => b.runs.map((r: { dispatchId: string }) => r.dispatchId));
    expect(runs.flat()).toEqual([...widgetRuns].reverse());
    await walkJson('/api/repos/octo-org/widget?limit=1', (b) => b.runs);
    const tests = await walkJson('/api/repos/octo-org/widget/tests?limit=1', (b) => b.tests.map((t: { name: string }) => t.name));
    expect(tests.flat()).toHaveLength(6);
    const runTests = await walkJson(`/api/repos/octo-org/widget/runs/${widgetRuns[0]}?limit=1`, (b) => b.tests.map((t: { name: string }) => t.name));
    expect(runTests.flat()).toHaveLength(6);
    expect(await walkHtml('/repos/octo-org/widget?limit=1')).toBeGreaterThanOrEqual(2);
    expect(await walkHtml(`/repos/octo-org/widget/runs/${widgetRuns[0]}?limit=1`)).toBeGreaterThanOrEqual(2);

    expect(seen.cursors).toBeGreaterThan(20);
    expect(seen.links).toBeGreaterThan(4);
  });

  it('a forged, edited, truncated, stale, foreign-key or cross-listing cursor answers 400 {"error":"invalid cursor"}', async () => {
    h = await startHarness({ repos: dashboardRepos() });
    const light = { jobs: ['test (3.10)'] };
    const a = (await pushAndPlay(h, 1, light)).dispatchId;
    const b = (await pushAndPlay(h, 2, light)).dispatchId;
    await pushAndPlay(h, 3, { ...light, ref: 'refs/heads/release/1.0' });
    await pushAndPlay(h, 4, { ...light, repo: 'gizmo' });
    await pushAndPlay(h, 5, { ...light, repo: 'gizmo' });

    const cursorOf = async (path: string) => {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.json.cursor, path).toEqual(expect.any(String));
      return r.json.cursor as string;
    };
    const runs = await cursorOf('/api/repos/octo-org/widget/runs?limit=1');
    const repos = await cursorOf('/api/repos?limit=1');
    const runners = await cursorOf('/api/runners?limit=1');
    const tests = await cursorOf('/api/repos/octo-org/widget/tests?limit=1');
    const runTests = await cursorOf(`/api/repos/octo-org/widget/runs/${a}?limit=1`);

    const invalid = async (path: string) => {
      const r = await get(path);
      expect({ path, status: r.status, text: r.text }).toEqual({ path, status: 400, text: '{"error":"invalid cursor"}' });
    };

    // Forged: what a cursor used to be (the store's key in base64url JSON), and other guesses.
    const forgedKey = Buffer.from(JSON.stringify({ pk: 'REPO#octo-org/gadget', sk: 'DISPATCH#0' })).toString('base64url');
    const forgedRepos = Buffer.from(JSON.stringify({ gsi1pk: 'REPOS', gsi1sk: 'octo-org/gadget', pk: 'REPO#octo-org/gadget', sk: 'META' })).toString('base64url');
    for (const forged of [forgedKey, forgedRepos, Buffer.from('{"o":1}').toString('base64url'), 'x', 'A'.repeat(60), '%00', '..', '"', '🙂']) {
      await invalid(withParam('/api/repos/octo-org/widget/runs', 'cursor', forged));
      await invalid(withParam('/api/repos', 'cursor', forged));
    }
    await invalid(withParam('/', 'cursor', forgedRepos));
    await invalid(withParam(`/api/repos/octo-org/widget/runs/${a}`, 'cursor', Buffer.from('{"o":1}').toString('base64url')));

    // Edited: one bit flipped anywhere (nonce, sealed text, tag), or cut short, or lengthened.
    const bytes = Buffer.from(runs, 'base64url');
    for (const i of [0, 11, 12, Math.floor(bytes.length / 2), bytes.length - 17, bytes.length - 1]) {
      const edited = Buffer.from(bytes);
      edited[i]! ^= 1;
      await invalid(withParam('/api/repos/octo-org/widget/runs', 'cursor', edited.toString('base64url')));
    }
    await invalid(withParam('/api/repos/octo-org/widget/runs', 'cursor', runs.slice(0, -4)));
    await invalid(withParam('/api/repos/octo-org/widget/runs', 'cursor', runs + 'AAAA'));
    await invalid(withParam('/api/repos/octo-org/widget/runs', 'cursor', 'A'.repeat(5000)));

    // Taken from another listing or another repository: each cursor works only where it was issued.
    await invalid(withParam('/api/repos/octo-org/gizmo/runs', 'cursor', runs));
    await invalid(withParam('/api/repos', 'cursor', runs));
    await invalid(withParam('/api/runners', 'cursor', repos));
    await invalid(withParam('/runners', 'cursor', repos));
    await invalid(withParam('/api/repos', 'cursor', runners));
    await invalid(withParam('/api/repos/octo-org/widget/runs', 'cursor', tests));
    await invalid(withParam('/api/repos/octo-org/widget/tests?branch=release/1.0', 'cursor', tests));
    await invalid(withParam('/api/repos/octo-org/gizmo/tests', 'cursor', tests));
    await invalid(withParam(`/api/repos/octo-org/widget/runs/${b}`, 'cursor', runTests));
    await invalid(withParam(`/repos/octo-org/widget/runs/${b}`, 'cursor', runTests));
    await invalid(withParam('/api/repos/octo-org/widget/runs', 'cursor', runTests));

    // Sealed under another server's key.
    const other = createApp({
      store: h.store,
      queue: { send: async () => {} },
      log: createLogger({ write: () => {} }),
      webhookSecret: WEBHOOK_SECRET,
      badgeSecret: TOKEN_SECRET,
      cursorSecret: 'another-deployment',
      now: h.clock.now,
    });
    expect((await get(withParam('/api/repos/octo-org/widget/runs', 'cursor', runs), other)).status).toBe(400);

    // The genuine ones still work where they belong, and the listing answers the rest of its items.
    expect((await get(withParam('/api/repos/octo-org/widget/runs?limit=1', 'cursor', runs))).json.runs).toHaveLength(1);
    expect((await get(withParam('/api/repos/octo-org/widget?limit=1', 'cursor', runs))).status).toBe(200);
    expect((await get(withParam('/api/repos?limit=1', 'cursor', repos))).json.repos.map((r: { repo: string }) => r.repo)).toEqual(['octo-org/widget']);
    expect((await get(withParam(`/api/repos/octo-org/widget/runs/${a}?limit=1`, 'cursor', runTests))).json.tests).toHaveLength(1);

    // Stale: a day later the same cursor is refused.
    h.clock.advance(25 * 60 * 60 * 1000);
    await invalid(withParam('/api/repos/octo-org/widget/runs', 'cursor', runs));
    await invalid(withParam('/api/repos', 'cursor', repos));
    expect(h.logs.filter((l) => JSON.parse(l).level === 'ERROR')).toEqual([]);
  });
});

describe('a repository turning private', { timeout: 120_000 }, () => {
  const ROUTES = (run: string) => [
    '/badges/octo-org/widget/status.svg',
    '/badges/octo-org/widget/smoke.svg',
    '/badges/octo-org/widget/status.json',
    '/badges/octo-org/widget/status.svg?branch=release/1.0',
    '/badges/octo-org/widget/smoke.json?branch=release/1.0',
    '/repos/octo-org/widget',
    `/repos/octo-org/widget/runs/${run}`,
    '/api/repos/octo-org/widget',
    '/api/repos/octo-org/widget/runs',
    `/api/repos/octo-org/widget/runs/${run}`,
    '/api/repos/octo-org/widget/tests',
    '/api/repos/octo-org/widget/tests?branch=release/1.0',
    '/api/repos/octo-org/widget/stats',
    '/api/runners?repo=octo-org/widget',
  ];

  /** Status of every route, and whether the repository and its runner show on the public listings. */
  async function exposure(run: string) {
    const statuses = await Promise.all(ROUTES(run).map(async (p) => (await get(p)).status));
    const listings = await Promise.all(['/', '/api/repos', '/runners', '/api/runners'].map(async (p) => (await get(p)).text));
    return { statuses, listed: listings.map((t) => t.includes('octo-org/widget') || t.includes('widget-box')) };
  }
  const OPEN = { statuses: Array(14).fill(200), listed: [true, true, true, true] };
  const CLOSED = { statuses: Array(14).fill(404), listed: [false, false, false, false] };

  async function start() {
    h = await startHarness({
      repos: [seedRepo({ runners: [{ name: 'widget-box', labels: ['self-hosted', 'arm64', 'dgx'], status: 'online' }] }), seedRepo({ name: 'gizmo' })],
    });
    const { dispatchId } = await pushAndPlay(h, 1, { files: { 'a.xml': smokeXml() } });
    await pushAndPlay(h, 2, { ref: 'refs/heads/release/1.0' });
    await pushAndPlay(h, 3, { repo: 'gizmo' });
    expect(await exposure(dispatchId)).toEqual(OPEN);
    return dispatchId;
  }

  it('repository.privatized closes the default badge, a ?branch= badge, pages, API and runners at once; publicized reopens', async () => {
    const run = await start();
    // Delivered without waiting for the worker: closed by the time GitHub has its answer.
    const privatized = await h.gh.setVisibility('octo-org', 'widget', 'private');
    expect(privatized?.status).toBe(202);
    expect(await exposure(run)).toEqual(CLOSED);
    await h.settle();
    expect(await exposure(run)).toEqual(CLOSED);
    const sent = h.gh.deliveries.filter((d) => d.event === 'repository');
    expect(sent.map((d) => d.action)).toEqual(['privatized']);
    expect(validateWebhookPayload('repository', JSON.parse(sent[0]!.payload))).toEqual({ ok: true });

    // The maintainer's token still opens every route of the private repository.
    const token = badgeToken(TOKEN_SECRET, 'octo-org/widget');
    for (const p of ROUTES(run)) expect((await get(withParam(p, 'token', token))).status, p).toBe(200);

    await h.gh.setVisibility('octo-org', 'widget', 'public');
    await h.settle();
    expect(await exposure(run)).toEqual(OPEN);
  });

  it('any delivery saying repository.private: true (a push, an otherwise ignored check_run.completed) closes it too', async () => {
    const run = await start();
    // GitHub's "privatized" never arrives (the App was not subscribed yet); the next push says private.
    await h.gh.setVisibility('octo-org', 'widget', 'private', { deliver: false });
    const push = await h.gh.deliver(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: 'd'.repeat(40) }));
    expect(push.status).toBe(202);
    expect(await exposure(run)).toEqual(CLOSED);
    await h.settle();
    expect(await exposure(run)).toEqual(CLOSED);

    // A delivery we otherwise ignore closes just the same.
    await h.gh.setVisibility('octo-org', 'widget', 'public');
    await h.settle();
    expect(await exposure(run)).toEqual(OPEN);
    await h.gh.setVisibility('octo-org', 'widget', 'private', { deliver: false });
    const ours = h.gh.checkRuns('octo-org', 'widget')[0]!;
    const completed = await h.gh.deliver(h.gh.events.checkRunEvent(ours, 'completed'));
    expect(JSON.parse(completed.body)).toMatchObject({ status: 'ignored' });
    expect(await exposure(run)).toEqual(CLOSED);
  });

  it('a late delivery from before the change, saying public, does not reopen a private repository', async () => {
    const run = await start();
    const stale = h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: 'f'.repeat(40) });
    await h.gh.setVisibility('octo-org', 'widget', 'private');
    await h.settle();
    // Sent (or redelivered) after the privatized event, with the repository as it was: public.
    expect(stale.payload.repository.private).toBe(false);
    expect((await h.send(stale)).status).toBe(202);
    expect(await exposure(run)).toEqual(CLOSED);
  });
});

describe('a private repository looks unknown', { timeout: 120_000 }, () => {
  it("a private repository's 404 is byte-identical to an unknown repository's: status, body and headers, on every route", async () => {
    h = await startHarness({ repos: dashboardRepos() });
    const { dispatchId } = await pushAndPlay(h, 1, { repo: 'gadget' });
    await pushAndPlay(h, 2, { repo: 'gadget', ref: 'refs/heads/release/1.0' });
    const routes = (repo: string) => [
      `/badges/octo-org/${repo}/status.svg`,
      `/badges/octo-org/${repo}/smoke.svg`,
      `/badges/octo-org/${repo}/status.json`,
      `/badges/octo-org/${repo}/smoke.json`,
      `/badges/octo-org/${repo}/status.svg?branch=release/1.0`,
      `/badges/octo-org/${repo}/status.svg?branch=nope`,
      `/repos/octo-org/${repo}`,
      `/repos/octo-org/${repo}?cursor=forged`,
      `/repos/octo-org/${repo}/runs/${dispatchId}`,
      `/repos/octo-org/${repo}/runs/${dispatchId}?cursor=forged`,
      `/api/repos/octo-org/${repo}`,
      `/api/repos/octo-org/${repo}/runs`,
      `/api/repos/octo-org/${repo}/runs?cursor=forged`,
      `/api/repos/octo-org/${repo}/runs/${dispatchId}`,
      `/api/repos/octo-org/${repo}/tests`,
      `/api/repos/octo-org/${repo}/tests?pr=3`,
      `/api/repos/octo-org/${repo}/tests?pr=x`,
      `/api/repos/octo-org/${repo}/stats`,
      `/api/runners?repo=octo-org/${repo}`,
    ];
    const wrongToken = badgeToken(TOKEN_SECRET, 'octo-org/widget');
    let compared = 0;
    for (const suffix of ['', `token=${wrongToken}`, 'token=wrong', `token=${'f'.repeat(300)}`, `branch=${'b'.repeat(300)}`]) {
      const hidden = routes('gadget');
      const unknown = routes('no-such-repo');
      for (let i = 0; i < hidden.length; i++) {
        const sep = hidden[i]!.includes('?') ? '&' : '?';
        const a = await get(suffix ? `${hidden[i]}${sep}${suffix}` : hidden[i]!);
        const b = await get(suffix ? `${unknown[i]}${sep}${suffix}` : unknown[i]!);
        expect([400, 404], hidden[i]).toContain(a.status);
        expect({ route: hidden[i], suffix, status: a.status, text: a.text, headers: a.headers }).toEqual({
          route: hidden[i],
          suffix,
          status: b.status,
          text: b.text,
          headers: b.headers,
        });
        compared++;
      }
    }
    expect(compared).toBe(95);
    // With the token it is there.
    const token = badgeToken(TOKEN_SECRET, 'octo-org/gadget');
    expect((await get(`/badges/octo-org/gadget/status.svg?branch=release/1.0&token=${token}`)).status).toBe(200);
    expect((await get(`/api/repos/octo-org/gadget?token=${token}`)).status).toBe(200);
  });
});
