/**
 * Anonymous input is bounded: the dashboard, API and badge routes under generated owner,
 * repository, branch, run id, cursor, token and run-filter values (long, unicode, control characters, `%00`,
 * `..`, percent-escapes), through the real app on dynalite. Never a 5xx, never an error-level log.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeToken } from '../../src/http/badge-token';
import { dashboardRepos, pushAndPlay } from '../browser/seed';
import { startHarness, type Harness } from '../support/harness';
import { figures } from '../support/rig';

let h: Harness;
let run = '';
const cursors: string[] = [];
beforeAll(async () => {
  h = await startHarness({ repos: dashboardRepos() });
  run = (await pushAndPlay(h, 1, { jobs: ['test (3.10)'] })).dispatchId;
  await pushAndPlay(h, 2, { jobs: ['test (3.10)'], repo: 'gadget' });
  for (const p of ['/api/repos?limit=1', '/api/repos/octo-org/widget/tests?limit=1', `/api/repos/octo-org/widget/runs/${run}?limit=1`]) {
    const c = ((await (await h.app.request(p)).json()) as { cursor: string | null }).cursor;
    if (c) cursors.push(c);
  }
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** Values an attacker would try, as they would be typed into a URL (so sometimes already escaped). */
const hostile = fc.oneof(
  fc.constantFrom('octo-org', 'widget', 'gadget', 'main', '..', '.', '%00', '%2e%2e', '%2F', '%', '%ff', '%ED%A0%80', '\u0000', '\u001f', ' ', '🙂', 'ü'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 200, maxLength: 600 }),
  fc.string({ unit: fc.constantFrom('a', '/', '.', '%', '0', 'é', '\u0000'), minLength: 1000, maxLength: 5000 }),
  fc.nat(5000).map((n) => 'x'.repeat(n)),
  fc.constantFrom(...['\ud800', 'a\udc00b']),
);

/** Escaped as a browser would, left raw (percent sequences stay), or both mixed. */
const encodings = ['component', 'raw'] as const;
function put(v: string, how: (typeof encodings)[number]): string {
  // encodeURIComponent refuses lone surrogates (the raw form and '%ED%A0%80' send them instead).
  return how === 'component' ? encodeURIComponent(v.replace(/[\uD800-\uDFFF]/gu, '\uFFFD')) : v;
}

const ROUTES = [
  (o: string, r: string) => `/badges/${o}/${r}/status.svg`,
  (o: string, r: string) => `/badges/${o}/${r}/smoke.json`,
  (o: string, r: string) => `/repos/${o}/${r}`,
  (o: string, r: string, id: string) => `/repos/${o}/${r}/runs/${id}`,
  (o: string, r: string) => `/api/repos/${o}/${r}`,
  (o: string, r: string) => `/api/repos/${o}/${r}/runs`,
  (o: string, r: string, id: string) => `/api/repos/${o}/${r}/runs/${id}`,
  (o: string, r: string, id: string) => `/repos/${o}/${r}/runs/${id}/compare`,
  (o: string, r: string, id: string) => `/api/repos/${o}/${r}/runs/${id}/compare`,
  (o: string, r: string) => `/api/repos/${o}/${r}/tests`,
  (o: string, r: string) => `/api/repos/${o}/${r}/stats`,
  (o: string, r: string) => `/api/runners?repo=${o}/${r}`,
  () => '/',
  () => '/runners',
  () => '/api/repos',
  () => '/api/runners',
];

describe('dashboard, API and badges under hostile URLs', () => {
  it('never answer 5xx and never log an error, whatever owner, repo, branch, run id, cursor or token', async () => {
    const statuses = new Map<number, number>();
    let requests = 0;
    const errorsBefore = h.logs.length;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          route: fc.nat(ROUTES.length - 1),
          owner: fc.oneof(fc.constant('octo-org'), hostile),
          repo: fc.oneof(fc.constantFrom('widget', 'gadget'), hostile),
          id: fc.oneof(fc.constant(run), hostile),
          query: fc.array(
            fc.tuple(
              fc.constantFrom('branch', 'cursor', 'token', 'limit', 'pr', 'repo', 'status', 'target', 'author'),
              fc.oneof(hostile, fc.constantFrom(...cursors, badgeToken('badge-secret', 'octo-org/gadget'))),
            ),
            { maxLength: 3 },
          ),
          how: fc.constantFrom(...encodings),
        }),
        async (c) => {
          requests++;
          let path = ROUTES[c.route]!(put(c.owner, c.how), put(c.repo, c.how), put(c.id, c.how));
          for (const [k, v] of c.query) path += `${path.includes('?') ? '&' : '?'}${k}=${put(v, c.how)}`;
          let res: Response;
          try {
            res = await h.app.request(path);
          } catch (err) {
            // Not a URL at all (the client could not even send it): nothing reached the app.
            expect((err as Error).name).toBe('TypeError');
            return;
          }
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, path.slice(0, 200)).toBeLessThan(500);
        },
      ),
      { numRuns: 600 },
    );
    const errors = h.logs.slice(errorsBefore).filter((l) => JSON.parse(l).level === 'ERROR');
    expect(errors).toEqual([]);
    figures('hostile URLs', { requests, ...Object.fromEntries([...statuses].sort().map(([s, n]) => [`status${s}`, n])), status5xx: 0, errorLogs: 0 });
  }, 180_000);

  it('answer over-long values precisely: unknown names 404, long branches, tokens and cursors 400', async () => {
    const long = (n: number) => 'a'.repeat(n);
    const cases: [string, number][] = [
      [`/badges/${long(3000)}/widget/status.svg`, 404],
      [`/badges/octo-org/${long(3000)}/status.svg`, 404],
      [`/badges/octo-org/widget/status.svg?branch=${long(2000)}`, 400],
      [`/badges/octo-org/widget/status.svg?branch=%00`, 400],
      [`/badges/octo-org/widget/status.svg?token=${long(2000)}`, 400],
      [`/repos/${long(3000)}/widget`, 404],
      [`/repos/octo-org/%2e%2e`, 404],
      [`/repos/octo-org/widget/runs/${long(3000)}`, 404],
      [`/api/repos/octo-org/${long(3000)}/runs`, 404],
      [`/api/repos/octo-org/widget/runs?cursor=${long(3000)}`, 400],
      [`/api/repos/octo-org/widget/tests?branch=${long(3000)}`, 400],
      [`/api/repos/octo-org/widget/tests?pr=${'9'.repeat(400)}`, 400],
      [`/api/repos/octo-org/widget/tests?target=${long(3000)}`, 400],
      [`/api/runners?repo=${long(3000)}/x`, 404],
      [`/api/repos?cursor=${long(3000)}`, 400],
      [`/?cursor=%00`, 400],
    ];
    for (const [path, want] of cases) {
      const res = await h.app.request(path);
      expect({ path: path.slice(0, 80), status: res.status }).toEqual({ path: path.slice(0, 80), status: want });
    }
    // An unknown target is named back, clipped: the answer does not echo 3,000 characters.
    const target = await (await h.app.request(`/api/repos/octo-org/widget/tests?target=${long(3000)}`)).json();
    expect(target.error.length).toBeLessThan(200);
  });
});
