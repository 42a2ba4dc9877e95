/**
 * What an operator reads when a push gets no check run: one delivery's lines found by its keys,
 * the reason for every "nothing happened", errors with their stack — and never a secret.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SeedPull } from '@arm64-ci/github-sim';
import { seedRepo, startRig, WEBHOOK_SECRET, type Rig } from './support/rig';
import { testKeys } from './support/world';

let r: Rig | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await r?.close();
  r = null;
});

type Line = Record<string, any>;
const lines = (h: Rig): Line[] => h.logs.map((l) => JSON.parse(l) as Line);
const sha = (n: number) => n.toString(16).padStart(40, 'e');
const push = (h: Rig, n: number, ref = 'refs/heads/main') => h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref, after: sha(n) });
const CHECK_RUNS = /\/check-runs$/;

describe("a delivery's log lines", () => {
  it('a failing delivery is logged with its stack and the keys to find it', async () => {
    const h = (r = await startRig());
    h.gh.failNext({ method: 'POST', pathPattern: CHECK_RUNS, status: 500, times: 20 });
    const sent = await h.send(push(h, 1));
    const failed = lines(h).filter((l) => l.message === 'delivery failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]).toMatchObject({
      level: 'ERROR',
      deliveryId: sent.deliveryId,
      event: 'push',
      repository: 'octo-org/widget',
      sha: sha(1),
      error: { stack: expect.stringMatching(/\n\s+at /) },
    });
  });

  it('every "why nothing happened" is an info line, and the processed line says the outcome', async () => {
    const fork: SeedPull = { number: 5, headSha: sha(9), headRef: 'patch', headRepo: 'stranger/widget', user: 'stranger', authorAssociation: 'NONE' };
    const h = (r = await startRig({ repos: [seedRepo({ pulls: [fork] }), seedRepo({ name: 'plain', files: {} })] }));
    const ignoredBranch = await h.send(push(h, 2, 'refs/heads/feature'));
    const unconfigured = await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'plain'), { ref: 'refs/heads/main', after: sha(3) }));
    const held = await h.send(h.gh.events.pullRequestEvent(h.gh.repo('octo-org', 'widget'), 'opened', 5));
    const dispatched = await h.send(push(h, 4));
    const duplicate = await h.send(push(h, 4), { deliveryId: dispatched.deliveryId });
    expect(duplicate.body).toEqual({ status: 'duplicate' });

    const of = (deliveryId: string) => lines(h).filter((l) => l.deliveryId === deliveryId);
    const processed = (deliveryId: string) => of(deliveryId).find((l) => l.message === 'processed')?.outcome;

    expect(of(ignoredBranch.deliveryId)).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: expect.stringContaining('ignored: branch feature does not match triggers.push'), sha: sha(2) }),
    );
    expect(processed(ignoredBranch.deliveryId)).toMatch(/^ignored: branch feature does not match triggers\.push/);
    expect(of(unconfigured.deliveryId)).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'ignored: not configured: no .github/arm64-ci.yml on main' }));
    expect(processed(unconfigured.deliveryId)).toBe('ignored: not configured: no .github/arm64-ci.yml on main');
    expect(of(held.deliveryId)).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'held: awaiting approval' }));
    expect(processed(held.deliveryId)).toMatch(/^held: Waiting for \/ok-to-test/);
    expect(processed(dispatched.deliveryId)).toMatch(/^dispatched: [0-9A-Z]{26}$/);
    expect(of(dispatched.deliveryId)).toContainEqual(expect.objectContaining({ level: 'INFO', message: expect.stringContaining('ignored: duplicate delivery') }));
  });
});

describe('secrets', () => {
  it('no secret value appears in any line of a whole run (intake, worker, failures, scheduled passes)', async () => {
    const stdout: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (stdout.push(String(chunk)), true));
    const h = (r = await startRig({ logLevel: 'debug' }));
    // The worker's installation token, minted ahead (the client caches it for the run).
    const gh = await h.deps.github.forInstallation(7);
    await gh.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: 'octo-org', repo: 'widget', path: '.github/arm64-ci.yml' });
    const [token] = [...h.gh.state.tokens.keys()];
    // Failures on the way: a refused dispatch whose answer quotes the token (its message is logged),
    // and a retried check-run update.
    h.gh.failNext({ method: 'POST', pathPattern: /\/dispatches$/, status: 422, body: { message: `Invalid request: authorization "token ${token}" is not allowed here` } });
    h.gh.failNext({ method: 'PATCH', pathPattern: /\/check-runs\/\d+$/, status: 502, times: 1 });
    await h.send(push(h, 10));
    expect(h.logs.some((l) => l.includes('dispatch refused') && l.includes('[redacted]'))).toBe(true);
    await h.send(push(h, 11));
    const run = h.gh.workflowRuns('octo-org', 'widget')[0]!;
    await h.gh.play(run.id, { jobs: [{ name: 'test (3.11)', runnerName: 'dgx-01', labels: ['self-hosted', 'arm64', 'dgx'], conclusion: 'success' }] });
    await h.settle();
    // A forged delivery, and the scheduled passes.
    await h.app.request('/api/github/webhooks', { method: 'POST', headers: { 'x-hub-signature-256': 'sha256=00', 'x-github-event': 'push', 'x-github-delivery': 'forged' }, body: '{}' });
    await h.tick();
    vi.restoreAllMocks();

    const tokens = [...h.gh.state.tokens.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    const keyLines = testKeys().privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    const secrets = [WEBHOOK_SECRET, ...tokens, ...keyLines];
    const all = [...h.logs, ...stdout];
    expect(h.logs.length).toBeGreaterThan(10);
    expect(all.join('\n')).toContain('processed');
    for (const s of secrets) expect(all.filter((l) => l.includes(s))).toEqual([]);
  });
});
