/**
 * What an `/ok-to-test` approves, tried as an attacker would: the fork pushes around the moment a
 * maintainer comments, and GitHub's deliveries arrive (and are processed) in either order, twice,
 * or late. An approval must cover only a head commit that was already shown as waiting when the
 * comment was written, and one approval must never dispatch twice. Real `issue_comment` and
 * `pull_request` payloads, signed, through the webhook route, the worker, dynalite and the
 * OpenAPI-checking GitHub stand-in, whose pull request heads the tests move between a comment
 * being written and its delivery being processed.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SeedPull, WebhookEvent } from '@arm64-ci/github-sim';
import { processMessage } from '../src/worker/process';
import { CONFIG, seedRepo, startHarness, type Harness } from './support/harness';

/** Distinct 7-character prefixes, as real shas have. */
const sha = (n: number) => createHash('sha1').update(`commit ${n}`).digest('hex');
const short = (n: number) => sha(n).slice(0, 7);
const A = 1;
const B = 2;
const FORK: SeedPull = { number: 13, headSha: sha(A), headRef: 'patch-1', headRepo: 'stranger/widget', user: 'stranger', authorAssociation: 'NONE' };

let h: Harness;
async function start(files?: Record<string, string>) {
  h = await startHarness({ repos: [seedRepo({ pulls: [{ ...FORK }], ...(files ? { files } : {}) })] });
}
beforeEach(async () => {
  await start();
});
afterEach(async () => {
  expect(h.gh.violations).toEqual([]);
  expect(h.gh.unimplemented).toEqual([]);
  await h.close();
});

const repo = () => h.gh.repo('octo-org', 'widget');
const pull = () => repo().pulls.find((p) => p.number === 13)!;
const checksOf = (n: number) => h.gh.checkRuns('octo-org', 'widget').filter((c) => c.headSha === sha(n));
const replies = () => h.gh.comments.filter((c) => c.viaApp);
const dispatchedShas = () => h.gh.dispatches.map((d) => d.inputs.sha);
const reactionsOn = (ev: WebhookEvent) =>
  h.gh.reactions.filter((r) => r.commentId === (ev.payload.comment as { id: number }).id).map((r) => r.content);
/** GitHub's time now, as it writes it (whole seconds). */
const githubNow = () => h.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Time passes: a maintainer reads, a contributor pushes. */
const later = () => h.clock.advance(60_000);

/** The maintainer writes a comment now; GitHub delivers it whenever the test sends it. */
function writeComment(body: string, user = 'maintainer') {
  later();
  const ev = h.gh.events.issueCommentEvent(repo(), { pr: 13, body, user });
  return { ev, at: githubNow() };
}
/** The fork pushes `n` now: the pull request's head moves at once; the `synchronize` delivery is sent by the test. */
function push(n: number): WebhookEvent {
  later();
  const before = pull().headSha;
  pull().headSha = sha(n);
  return h.gh.events.pullRequestEvent(repo(), 'synchronize', 13, { before });
}
const opened = () => h.send(h.gh.events.pullRequestEvent(repo(), 'opened', 13));

describe('an /ok-to-test covers only what the maintainer saw', () => {
  it('an /ok-to-test does not approve a commit pushed after it, when the comment is processed first', async () => {
    await opened(); // A waits
    const ok = writeComment('/ok-to-test'); // written while A waits…
    const sync = push(B); // …then B is pushed, before the comment is processed
    await h.send(ok.ev); // GitHub's head is B now: B was never shown as waiting
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ok.ev)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain(
      `the head of #13 is now \`${short(B)}\`, which was not waiting for /ok-to-test when this comment was written (${ok.at})`,
    );
    await h.send(sync);
    expect(h.gh.dispatches).toHaveLength(0);
    const held = checksOf(B)[0]!;
    expect(held).toMatchObject({ status: 'completed', conclusion: 'action_required' });
    expect(held.output.summary).toContain(`Pushed after @maintainer's /ok-to-test at ${ok.at}; needs a new /ok-to-test.`);
  });

  it('an /ok-to-test does not approve a commit pushed after it, when the push is processed first', async () => {
    await opened();
    const ok = writeComment('/ok-to-test');
    await h.send(push(B)); // B is held (shown as waiting) after the comment was written
    const shownAt = githubNow();
    expect(checksOf(B)[0]).toMatchObject({ conclusion: 'action_required' });
    await h.send(ok.ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ok.ev)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain(`it has been waiting since ${shownAt}`);
    // B's held check run says why the comment did not release it.
    expect(checksOf(B)).toHaveLength(1);
    expect(checksOf(B)[0]!.output.summary).toContain(`Not covered by @maintainer's /ok-to-test at ${ok.at}`);
    expect(checksOf(B)[0]!.conclusion).toBe('action_required');

    // An /ok-to-test written after B was shown as waiting runs B, once.
    const again = writeComment('/ok-to-test');
    await h.send(again.ev);
    expect(dispatchedShas()).toEqual([sha(B)]);
    expect(reactionsOn(again.ev)).toEqual(['eyes', 'rocket']);
  });

  it('an /ok-to-test does not approve a commit pushed before it but not yet shown as waiting (its delivery late)', async () => {
    await opened();
    const sync = push(B); // pushed; GitHub's synchronize delivery is delayed
    const ok = writeComment('/ok-to-test'); // written after the push, while the pull request still showed A waiting
    await h.send(ok.ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ok.ev)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain('once its check run says it is waiting');
    await h.send(sync);
    expect(h.gh.dispatches).toHaveLength(0);
    const held = checksOf(B)[0]!;
    expect(held.conclusion).toBe('action_required');
    expect(held.output.summary).toContain(
      `Not covered by @maintainer's /ok-to-test at ${ok.at}: this commit was not shown as waiting for /ok-to-test when that comment was written; needs a new /ok-to-test.`,
    );
  });

  it('a push after an approved /ok-to-test is held again, and its check run names the approval it is not covered by', async () => {
    await opened();
    const ok = writeComment('/ok-to-test');
    await h.send(ok.ev);
    expect(dispatchedShas()).toEqual([sha(A)]);
    await h.send(push(B));
    expect(dispatchedShas()).toEqual([sha(A)]);
    const held = checksOf(B)[0]!;
    expect(held).toMatchObject({ status: 'completed', conclusion: 'action_required' });
    expect(held.output.summary).toContain(`Pushed after @maintainer's /ok-to-test of ${short(A)} at ${ok.at}; needs a new /ok-to-test.`);
  });

  it.each([true, false])(
    'an /ok-to-test does not approve an older commit the fork force-pushes back to (cancel_superseded: %s)',
    async (cancelSuperseded) => {
      await h.close();
      await start({ '.github/arm64-ci.yml': `${CONFIG}cancel_superseded: ${cancelSuperseded}\n` });
      await opened(); // A waits
      await h.send(push(B)); // B waits: the maintainer reviews B
      const ok = writeComment('/ok-to-test');
      await h.send(push(A)); // back to A, which the maintainer was not looking at
      await h.send(ok.ev);
      expect(h.gh.dispatches).toHaveLength(0);
      expect(reactionsOn(ok.ev)).toEqual(['confused']);
    },
  );

  it('an /ok-to-test naming a commit that is no longer the head is refused with a reply', async () => {
    await opened();
    await h.send(push(B)); // B is pushed (and shown as waiting) while the maintainer reviews A
    const stale = writeComment(`/ok-to-test ${short(A)}`);
    await h.send(stale.ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(stale.ev)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain(`\`${short(A)}\` is not the head of #13: its head is now \`${short(B)}\``);
    expect(checksOf(B)).toHaveLength(1);
    expect(checksOf(B)[0]!.conclusion).toBe('action_required');

    // Naming the head (in full, in capitals) approves it.
    const named = writeComment(`/ok-to-test ${sha(B).toUpperCase()}`);
    await h.send(named.ev);
    expect(dispatchedShas()).toEqual([sha(B)]);
    expect(reactionsOn(named.ev)).toEqual(['eyes', 'rocket']);
  });

  it('an /ok-to-test with something other than a sha is refused with the usage', async () => {
    await opened();
    const ev = writeComment('/ok-to-test please').ev;
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain('`please` is not a commit sha');
  });
});

describe('one approval, one dispatch', () => {
  it('a redelivered or duplicated /ok-to-test dispatches once', async () => {
    await opened();
    const ok = writeComment('/ok-to-test');
    const first = await h.send(ok.ev);
    expect(dispatchedShas()).toEqual([sha(A)]);
    // GitHub's redelivery of the same delivery.
    expect((await h.send(ok.ev, { deliveryId: first.deliveryId })).body).toEqual({ status: 'duplicate' });
    // The same comment again under another delivery id, and a second maintainer's approval.
    const dup = await h.send(ok.ev);
    expect(dup.body).toEqual({ status: 'accepted' });
    const admin = writeComment('/ok-to-test', 'admin');
    await h.send(admin.ev);
    expect(dispatchedShas()).toEqual([sha(A)]);
    expect(reactionsOn(admin.ev)).toEqual(['eyes']);
    expect(replies().map((r) => r.body).join('\n')).toContain(`is already approved (by @maintainer)`);
  });

  it('an approval that died before claiming its commit does not dispatch again when retried after another approval of the commit', async () => {
    await opened();
    const ok = writeComment('/ok-to-test');
    const msg = { deliveryId: 'approval-dies', event: ok.ev.event, payload: JSON.stringify(ok.ev.payload), receivedAt: ok.at, groupId: 'octo-org/widget' };
    // The first processing decides to approve, then dies (GitHub refuses its 👀 reaction).
    h.gh.failNext({ method: 'POST', pathPattern: /\/reactions$/, status: 422 });
    await expect(processMessage(h.deps, msg)).rejects.toThrow();
    expect(h.gh.dispatches).toHaveLength(0);
    // Meanwhile another maintainer approves the same commit.
    await h.send(writeComment('/ok-to-test', 'admin').ev);
    expect(dispatchedShas()).toEqual([sha(A)]);
    // The queue retries the first: its stored decision was "approve", but the commit's approval is taken.
    await processMessage(h.deps, msg);
    await h.settle();
    expect(dispatchedShas()).toEqual([sha(A)]);
    expect(replies().at(-1)!.body).toContain(`is already approved (by @admin)`);
    expect(reactionsOn(ok.ev)).toEqual(['eyes']);
  });
});
