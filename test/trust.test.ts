/**
 * The trust gate (`/ok-to-test`), re-runs from GitHub's UI, and superseded runs, end to end:
 * real `pull_request`, `issue_comment`, `check_run`, `check_suite` and `push` example payloads,
 * signed, through the app, the worker, dynalite and the OpenAPI-checking GitHub stand-in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateWebhookPayload, type SeedPull, type WebhookEvent } from '@arm64-ci/github-sim';
import { CONFIG, seedRepo, startHarness, type Harness } from './support/harness';
import { requestsTo } from './support/rig';

const sha = (n: number) => n.toString(16).padStart(40, 'd');
/** A fork pull request from an outside contributor: untrusted. */
const FORK: SeedPull = {
  number: 13,
  headSha: sha(30),
  headRef: 'patch-1',
  headRepo: 'stranger/widget',
  user: 'stranger',
  authorAssociation: 'NONE',
};
/** A same-repository pull request: trusted. */
const OWN: SeedPull = { number: 12, headSha: sha(20), headRef: 'feature/x', user: 'maintainer', authorAssociation: 'MEMBER' };

let h: Harness;
async function start(over: Parameters<typeof seedRepo>[0] = {}) {
  h = await startHarness({ repos: [seedRepo({ pulls: [{ ...FORK }, { ...OWN }], ...over })] });
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
const pull = (n: number) => repo().pulls.find((p) => p.number === n)!;
const checks = () => h.gh.checkRuns('octo-org', 'widget');
const checksOf = (s: string) => checks().filter((c) => c.headSha === s);
const runs = () => h.gh.workflowRuns('octo-org', 'widget');
const replies = () => h.gh.comments;
/**
 * A comment, written a minute after whatever happened before: an /ok-to-test approves only a
 * commit that was already shown as waiting when it was written (GitHub's times have whole seconds).
 */
const comment = (body: string, user = 'maintainer', pr = 13) => {
  h.clock.advance(60_000);
  return h.gh.events.issueCommentEvent(repo(), { pr, body, user });
};
const reactionsOn = (ev: WebhookEvent) =>
  h.gh.reactions.filter((r) => r.commentId === (ev.payload.comment as { id: number }).id).map((r) => r.content);
const authorPermissionRequests = () => requestsTo(h.gh, 'GET', /\/collaborators\/stranger\/permission$/i);
const opened = (n: number) => h.send(h.gh.events.pullRequestEvent(repo(), 'opened', n));
/** A new head pushed to a pull request. */
async function pushToPull(n: number, newSha: string) {
  const p = pull(n);
  const before = p.headSha;
  p.headSha = newSha;
  await h.send(h.gh.events.pullRequestEvent(repo(), 'synchronize', n, { before }));
}

describe('a fork pull request from an outside contributor', () => {
  it('waits for /ok-to-test, runs the approved commit only, and needs a new approval after a push', async () => {
    await opened(13);
    expect(h.gh.dispatches).toHaveLength(0);
    const held = checksOf(sha(30))[0]!;
    expect(held).toMatchObject({ status: 'completed', conclusion: 'action_required' });
    expect(held.output.summary).toContain('/ok-to-test');
    // No re-run button on a held check run: only /ok-to-test releases it.
    expect(held.actions).toEqual([]);

    const ok = comment('/ok-to-test');
    await h.send(ok);
    expect(h.gh.dispatches).toHaveLength(1);
    expect(h.gh.dispatches[0]!.inputs).toMatchObject({ sha: sha(30), pr: '13' });
    expect(reactionsOn(ok)).toEqual(['eyes', 'rocket']);
    expect(replies()).toEqual([]);
    // The held check run is closed honestly and points at the run that replaces it.
    const [before, approved] = checksOf(sha(30));
    expect(before).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(before!.output.summary).toContain('Approved by @maintainer');
    expect(approved).toMatchObject({ status: 'queued' });
    expect(approved!.output.summary).toContain('Approved for commit');
    const run = runs()[0]!;
    await h.gh.startRun(run.id);
    await h.settle();

    // The contributor pushes again: nothing runs until someone approves the new head.
    await pushToPull(13, sha(31));
    expect(h.gh.dispatches).toHaveLength(1);
    expect(checksOf(sha(31))[0]).toMatchObject({ status: 'completed', conclusion: 'action_required' });
    // …and the approved run of the replaced commit was cancelled as superseded.
    expect(h.gh.cancelled.map((c) => c.runId)).toEqual([run.id]);
    expect(checksOf(sha(30))[1]).toMatchObject({ status: 'completed', conclusion: 'cancelled' });

    const run2 = comment('/arm64 run');
    await h.send(run2);
    expect(h.gh.dispatches).toHaveLength(1);
    expect(reactionsOn(run2)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain('not approved');
    expect(replies()[0]!.body).toContain('/ok-to-test');

    await h.send(comment('/ok-to-test'));
    expect(h.gh.dispatches).toHaveLength(2);
    expect(h.gh.dispatches[1]!.inputs).toMatchObject({ sha: sha(31), pr: '13' });
  });

  it("refuses a reader's /ok-to-test: confused, a reply, and the commit stays held", async () => {
    await opened(13);
    const ev = comment('/ok-to-test', 'reader');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain('need `write` permission');
    expect(checksOf(sha(30))).toHaveLength(1);
    expect(checksOf(sha(30))[0]!.conclusion).toBe('action_required');
  });

  it("refuses the contributor's own /ok-to-test", async () => {
    await opened(13);
    await h.send(comment('/ok-to-test', 'stranger'));
    expect(h.gh.dispatches).toHaveLength(0);
  });

  it('answers a second /ok-to-test for the same commit without dispatching again', async () => {
    await opened(13);
    await h.send(comment('/ok-to-test'));
    const again = comment('/ok-to-test', 'admin');
    await h.send(again);
    expect(h.gh.dispatches).toHaveLength(1);
    expect(reactionsOn(again)).toEqual(['eyes']);
    expect(replies()[0]!.body).toContain('already approved (by @maintainer)');
  });

  it('lets /ok-to-test and /arm64 run share a comment: approve, then run with overrides', async () => {
    await opened(13);
    await h.send(comment(`/ok-to-test\n/arm64 run python-versions='["3.13"]'`));
    expect(h.gh.dispatches).toHaveLength(2);
    expect(h.gh.dispatches[1]!.inputs).toMatchObject({ sha: sha(30), 'python-versions': '["3.13"]' });
  });

  it('runs an approved commit again when the pull request is reopened', async () => {
    await opened(13);
    await h.send(comment('/ok-to-test'));
    await h.send(h.gh.events.pullRequestEvent(repo(), 'reopened', 13));
    expect(h.gh.dispatches).toHaveLength(2);
  });
});

describe('who is trusted without /ok-to-test', () => {
  it('a same-repository pull request; /ok-to-test there is answered "not needed"', async () => {
    await opened(12);
    expect(h.gh.dispatches).toHaveLength(1);
    const ev = comment('/ok-to-test', 'maintainer', 12);
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(1);
    expect(reactionsOn(ev)).toEqual(['eyes']);
    expect(replies()[0]!.body).toContain('not needed: the head branch is in this repository');
  });

  it.each(['OWNER', 'MEMBER'])(
    'a fork pull request by an organization %s, with trust_org_members (the default), without asking GitHub',
    async (association) => {
      pull(13).authorAssociation = association;
      await opened(13);
      expect(h.gh.dispatches).toHaveLength(1);
      expect(checksOf(sha(30))[0]!.status).toBe('queued');
      expect(authorPermissionRequests()).toBe(0);
    },
  );

  it('a fork pull request by a COLLABORATOR with write permission runs', async () => {
    pull(13).authorAssociation = 'COLLABORATOR';
    repo().collaborators.stranger = 'write';
    await opened(13);
    expect(h.gh.dispatches).toHaveLength(1);
    expect(h.gh.dispatches[0]!.inputs).toMatchObject({ sha: sha(30), pr: '13' });
  });

  it('a fork pull request by a COLLABORATOR with only read permission waits for /ok-to-test: the label is not a grant', async () => {
    pull(13).authorAssociation = 'COLLABORATOR';
    repo().collaborators.stranger = 'read';
    await opened(13);
    expect(h.gh.dispatches).toHaveLength(0);
    const held = checksOf(sha(30))[0]!;
    expect(held).toMatchObject({ status: 'completed', conclusion: 'action_required' });
    expect(held.output.summary).toContain('is a collaborator with `read` permission, below `write`');
    // Triage is not enough either, and neither is write under a stricter commands.min_permission.
    await h.close();
    await start({ files: { '.github/arm64-ci.yml': `${CONFIG}commands:\n  min_permission: maintain\n` } });
    pull(13).authorAssociation = 'COLLABORATOR';
    repo().collaborators.stranger = 'write';
    await opened(13);
    expect(h.gh.dispatches).toHaveLength(0);
  });

  it('with trust_org_members: false, a MEMBER waits unless their permission suffices', async () => {
    await h.close();
    await start({ files: { '.github/arm64-ci.yml': `${CONFIG}trust_org_members: false\n` } });
    pull(13).authorAssociation = 'MEMBER';
    await opened(13);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(checksOf(sha(30))[0]!.output.summary).toContain('is an organization member (trust_org_members is off) with `read` permission');
    // The same member, granted write on the repository: their next head runs.
    repo().collaborators.stranger = 'write';
    await pushToPull(13, sha(31));
    expect(h.gh.dispatches).toHaveLength(1);
    expect(h.gh.dispatches[0]!.inputs).toMatchObject({ sha: sha(31) });
  });

  it("asks GitHub for the author's permission once per pull request and head", async () => {
    pull(13).authorAssociation = 'COLLABORATOR';
    repo().collaborators.stranger = 'write';
    await opened(13);
    // The same head again: a reopened pull request, a command, a re-run from GitHub's UI.
    await h.send(h.gh.events.pullRequestEvent(repo(), 'reopened', 13));
    await h.send(comment('/arm64 run'));
    await h.send(h.gh.events.checkRunEvent(checksOf(sha(30))[0]!, 'rerequested', { sender: 'maintainer' }));
    expect(h.gh.dispatches).toHaveLength(4);
    expect(authorPermissionRequests()).toBe(1);
    // A new head asks again: a permission taken away counts from the next push on.
    repo().collaborators.stranger = 'read';
    await pushToPull(13, sha(31));
    expect(authorPermissionRequests()).toBe(2);
    expect(h.gh.dispatches).toHaveLength(4);
    expect(checksOf(sha(31))[0]).toMatchObject({ conclusion: 'action_required' });
  });

  it('a fork pull request whose author is listed in trusted_users, compared without regard to case', async () => {
    await h.close();
    await start({ files: { '.github/arm64-ci.yml': `${CONFIG}trusted_users: ["@Stranger"]\n` } });
    await opened(13);
    expect(h.gh.dispatches).toHaveLength(1);
    expect(checksOf(sha(30))[0]!.status).toBe('queued');
    // The other way round: a login GitHub spells in capitals, listed in lower case.
    pull(13).user = 'STRANGER';
    pull(13).authorAssociation = 'COLLABORATOR';
    await pushToPull(13, sha(31));
    expect(h.gh.dispatches).toHaveLength(2);
    expect(authorPermissionRequests()).toBe(0);
  });
});

describe("re-runs from GitHub's UI", () => {
  /** A push to main whose run finished. */
  async function finishedPush(s: string, conclusion: 'success' | 'failure' = 'failure') {
    await h.send(h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after: s }));
    const run = runs().at(-1)!;
    await h.gh.completeRun(run.id, conclusion);
    await h.settle();
    return checksOf(s).at(-1)!;
  }

  it('offers a "Re-run arm64" button on every finished check run, and the button runs it again', async () => {
    const done = await finishedPush(sha(1));
    expect(done.actions).toEqual([{ label: 'Re-run arm64', description: 'Dispatch the arm64 workflow again', identifier: 'rerun' }]);
    await h.send(h.gh.events.checkRunEvent(done, 'requested_action', { requestedAction: 'rerun', sender: 'maintainer' }));
    expect(h.gh.dispatches).toHaveLength(2);
    expect(h.gh.dispatches[1]!.inputs).toMatchObject({ sha: sha(1), pr: '' });
    const fresh = checksOf(sha(1)).at(-1)!;
    expect(fresh.id).not.toBe(done.id);
    expect(fresh.status).toBe('queued');
    expect(fresh.output.summary).toContain('a re-run request by @maintainer');
    expect(fresh.output.summary).toContain('"Re-run arm64" button');
  });

  it('ignores a requested action it does not know', async () => {
    const done = await finishedPush(sha(2));
    await h.send(h.gh.events.checkRunEvent(done, 'requested_action', { requestedAction: 'something-else' }));
    expect(h.gh.dispatches).toHaveLength(1);
  });

  it('re-dispatches on check_run.rerequested', async () => {
    const done = await finishedPush(sha(3));
    await h.send(h.gh.events.checkRunEvent(done, 'rerequested', { sender: 'maintainer' }));
    expect(h.gh.dispatches).toHaveLength(2);
    expect(checksOf(sha(3))).toHaveLength(2);
  });

  it('re-dispatches on check_suite.rerequested, once per branch or pull request of the commit', async () => {
    await finishedPush(sha(4));
    const ev = h.gh.events.checkSuiteEvent(repo(), 'rerequested', { headSha: sha(4), sender: 'maintainer' });
    expect(validateWebhookPayload(ev.event, ev.payload)).toEqual({ ok: true });
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(2);
    expect(h.gh.dispatches[1]!.inputs.sha).toBe(sha(4));
    // A second click (a new delivery) runs it again; that delivery redelivered changes nothing.
    const again = await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(3);
    expect((await h.send(ev, { deliveryId: again.deliveryId })).body).toEqual({ status: 'duplicate' });
    expect(h.gh.dispatches).toHaveLength(3);
  });

  it("keeps an unapproved fork commit held: a re-run dispatches nothing", async () => {
    await opened(13);
    const held = checksOf(sha(30))[0]!;
    await h.send(h.gh.events.checkRunEvent(held, 'rerequested', { sender: 'maintainer' }));
    await h.send(h.gh.events.checkSuiteEvent(repo(), 'rerequested', { headSha: sha(30) }));
    expect(h.gh.dispatches).toHaveLength(0);
    expect(checksOf(sha(30))).toHaveLength(1);
  });

  it('re-runs an approved fork commit', async () => {
    await opened(13);
    await h.send(comment('/ok-to-test'));
    const run = runs()[0]!;
    await h.gh.completeRun(run.id, 'failure');
    await h.settle();
    const done = checksOf(sha(30)).at(-1)!;
    await h.send(h.gh.events.checkRunEvent(done, 'requested_action', { requestedAction: 'rerun' }));
    expect(h.gh.dispatches).toHaveLength(2);
  });
});

describe('superseded runs', () => {
  const push = (after: string, before?: string) =>
    h.gh.events.pushEvent(repo(), { ref: 'refs/heads/main', after, ...(before ? { before } : {}) });

  it('a push to a branch cancels the in-flight run of the commit it replaces', async () => {
    await h.send(push(sha(1)));
    const first = runs()[0]!;
    await h.gh.startRun(first.id);
    await h.settle();
    await h.send(push(sha(2), sha(1)));
    expect(h.gh.cancelled.map((c) => c.runId)).toEqual([first.id]);
    const old = checksOf(sha(1))[0]!;
    expect(old).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(old.output.summary).toContain(`Superseded by ${sha(2).slice(0, 7)}`);
    expect(h.gh.dispatches.map((d) => d.inputs.sha)).toEqual([sha(1), sha(2)]);
    expect(checksOf(sha(2))[0]!.status).toBe('queued');
  });

  it('leaves a finished run alone, and does nothing with cancel_superseded: false', async () => {
    await h.send(push(sha(3)));
    await h.gh.completeRun(runs()[0]!.id, 'success');
    await h.settle();
    await h.send(push(sha(4), sha(3)));
    expect(h.gh.cancelled).toEqual([]);
    expect(checksOf(sha(3))[0]!.conclusion).toBe('success');

    await h.close();
    await start({ files: { '.github/arm64-ci.yml': `${CONFIG}cancel_superseded: false\n` } });
    await h.send(push(sha(5)));
    await h.send(push(sha(6), sha(5)));
    expect(h.gh.cancelled).toEqual([]);
    expect(checksOf(sha(5))[0]!.status).toBe('queued');
  });

  it('a push to a pull request cancels the run of its previous head', async () => {
    await opened(12);
    const first = runs()[0]!;
    await pushToPull(12, sha(21));
    expect(h.gh.cancelled.map((c) => c.runId)).toEqual([first.id]);
    expect(checksOf(sha(20))[0]!.output.summary).toContain(`Superseded by ${sha(21).slice(0, 7)}`);
    expect(h.gh.dispatches.map((d) => d.inputs.sha)).toEqual([sha(20), sha(21)]);
  });

  it('closing a pull request cancels its runs in flight', async () => {
    await opened(12);
    const first = runs()[0]!;
    pull(12).state = 'closed';
    await h.send(h.gh.events.pullRequestEvent(repo(), 'closed', 12, { sender: 'maintainer' }));
    expect(h.gh.cancelled.map((c) => c.runId)).toEqual([first.id]);
    expect(checksOf(sha(20))[0]!.output.summary).toContain('Pull request #12 was closed by @maintainer');
  });
});
