/**
 * Slash commands end to end: real `issue_comment` example payloads, signed, through the app,
 * the queue, the worker, dynalite and the OpenAPI-checking GitHub stand-in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SeedPull, WebhookEvent } from '@arm64-ci/github-sim';
import { startLocal } from '../src/local/server';
import { createLogger } from '../src/log';
import { processMessage } from '../src/worker/process';
import { CONFIG, seedRepo, startHarness, type Harness } from './support/harness';

const sha = (n: number) => n.toString(16).padStart(40, 'c');
const HEAD = sha(20);
/** A same-repository pull request: trusted. */
const PR: SeedPull = { number: 12, headSha: HEAD, headRef: 'feature/x', user: 'maintainer', authorAssociation: 'MEMBER' };

let h: Harness;
async function start(over: Parameters<typeof seedRepo>[0] = {}) {
  h = await startHarness({ repos: [seedRepo({ pulls: [{ ...PR }], ...over })] });
}
beforeEach(async () => {
  await start();
});
afterEach(async () => {
  // Every request the coordinator made must have been one GitHub would accept.
  expect(h.gh.violations).toEqual([]);
  expect(h.gh.unimplemented).toEqual([]);
  await h.close();
});

const repo = () => h.gh.repo('octo-org', 'widget');
const checks = () => h.gh.checkRuns('octo-org', 'widget');
const runs = () => h.gh.workflowRuns('octo-org', 'widget');
const replies = () => h.gh.comments;
const comment = (body: string, user = 'maintainer', extra: Partial<Parameters<Harness['gh']['events']['issueCommentEvent']>[1]> = {}) =>
  h.gh.events.issueCommentEvent(repo(), { pr: 12, body, user, ...extra });
const reactionsOn = (ev: WebhookEvent) =>
  h.gh.reactions.filter((r) => r.commentId === (ev.payload.comment as { id: number }).id).map((r) => r.content);
/** What a maintainer sees: the pull request opened and its first run finished. */
async function openedAndFinished(conclusion: 'success' | 'failure' = 'failure') {
  await h.send(h.gh.events.pullRequestEvent(repo(), 'opened', 12));
  const run = runs().at(-1)!;
  await h.gh.startRun(run.id);
  await h.gh.completeRun(run.id, conclusion);
  await h.settle();
  return run;
}

describe('/arm64 run', () => {
  it("dispatches the pull request's head commit: eyes, then rocket, and no reply", async () => {
    const ev = comment('Looks good, let us try it on the hardware.\n\n/arm64 run\n');
    expect((await h.send(ev)).body).toEqual({ status: 'accepted' });
    expect(h.gh.dispatches).toHaveLength(1);
    expect(h.gh.dispatches[0]!.inputs).toMatchObject({ sha: HEAD, pr: '12', 'python-versions': '["3.10","3.11"]' });
    expect(checks()).toHaveLength(1);
    expect(checks()[0]).toMatchObject({ headSha: HEAD, status: 'queued' });
    expect(checks()[0]!.output.summary).toContain('a comment command by @maintainer');
    expect(reactionsOn(ev)).toEqual(['eyes', 'rocket']);
    expect(replies()).toEqual([]);
  });

  it('overrides a declared input with a quoted value', async () => {
    const ev = comment(`/arm64 run python-versions='["3.12"]'`);
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(1);
    expect(h.gh.dispatches[0]!.inputs).toMatchObject({ sha: HEAD, 'python-versions': '["3.12"]' });
    expect(checks()[0]!.output.summary).toContain('python-versions=["3.12"]');
  });

  it('dispatches a value with its quotes as typed: python-versions=["3.10"] stays ["3.10"]', async () => {
    const ev = comment('/arm64 run python-versions=["3.10"]');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(1);
    expect(h.gh.dispatches[0]!.inputs['python-versions']).toBe('["3.10"]');
    // A workflow reading it with fromJSON gets the string "3.10", not the number 3.1.
    expect(JSON.parse(h.gh.dispatches[0]!.inputs['python-versions'] as string)).toEqual(['3.10']);
    expect(reactionsOn(ev)).toEqual(['eyes', 'rocket']);
  });

  it('refuses a value with a control character or over the length cap, naming the key, and dispatches nothing', async () => {
    const tab = comment('/arm64 run python-versions="3.10\t3.11"');
    await h.send(tab);
    const long = comment(`/arm64 run python-versions=${'x'.repeat(1025)}`);
    await h.send(long);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(tab)).toEqual(['confused']);
    expect(reactionsOn(long)).toEqual(['confused']);
    expect(replies()).toHaveLength(2);
    expect(replies()[0]!.body).toContain('the value of `python-versions` holds an invisible or control character (U+0009');
    expect(replies()[1]!.body).toContain('the value of `python-versions` is 1,025 characters long; at most 1,024 are accepted');
  });

  it('refuses a command line that GitHub shows with formatting, saying so', async () => {
    const ev = comment('/arm64 run python-versions=`["3.12"]`');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain('write the command as plain text');
  });

  it('uses the head GitHub has now, not the one of an older event', async () => {
    repo().pulls[0]!.headSha = sha(21);
    await h.send(comment('/arm64 run'));
    expect(h.gh.dispatches[0]!.inputs.sha).toBe(sha(21));
  });

  it('refuses an input the config does not declare: confused, one reply, no dispatch', async () => {
    const ev = comment('/arm64 run nope=1 python-versions=x');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(checks()).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual(['confused']);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]!.body).toContain('`nope` is not an input');
    expect(replies()[0]!.body).toContain('`python-versions`');
    expect(replies()[0]!.body).toContain('@maintainer');
  });

  it("refuses a reader's command: confused and a reply that says why, and nothing dispatched", async () => {
    const ev = comment('/arm64 run', 'reader');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(checks()).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual(['confused']);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]!.body).toMatch(/need `write` permission .* you have `read`/);
  });

  it('refuses someone with no access to a private repository (permission 404 → none)', async () => {
    await h.close();
    await start({ private: true });
    const ev = comment('/arm64 run', 'somebody');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(replies()[0]!.body).toContain('you have `none`');
  });

  it('honours a stricter commands.min_permission', async () => {
    await h.close();
    await start({ files: { '.github/arm64-ci.yml': `${CONFIG}commands:\n  min_permission: maintain\n` } });
    await h.send(comment('/arm64 run', 'maintainer'));
    expect(h.gh.dispatches).toHaveLength(0);
    expect(replies()[0]!.body).toContain('need `maintain` permission');
    await h.send(comment('/arm64 run', 'admin'));
    expect(h.gh.dispatches).toHaveLength(1);
  });

  it('refuses on a closed pull request', async () => {
    repo().pulls[0]!.state = 'closed';
    const ev = comment('/arm64 run');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain('#12 is closed');
  });

  it('reads the configured prefix and ignores the default one', async () => {
    await h.close();
    await start({ files: { '.github/arm64-ci.yml': `${CONFIG}commands:\n  prefix: /dgx\n` } });
    await h.send(comment('/arm64 run'));
    expect(h.gh.dispatches).toHaveLength(0);
    expect(replies()).toHaveLength(0);
    await h.send(comment('/dgx run'));
    expect(h.gh.dispatches).toHaveLength(1);
  });

  it('answers with a reply when the repository has no config', async () => {
    await h.close();
    await start({ files: {} });
    const ev = comment('/arm64 run');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain('no `.github/arm64-ci.yml`');
    // A comment that only looks like some other bot's command stays unanswered.
    await h.send(comment('/cc @someone'));
    expect(replies()).toHaveLength(1);
  });
});

describe('/arm64 retest', () => {
  it('runs the latest run of the head commit again, with the same inputs, as a new dispatch', async () => {
    await h.send(comment(`/arm64 run python-versions='["3.12"]'`));
    const first = runs()[0]!;
    await h.gh.completeRun(first.id, 'failure');
    await h.settle();
    const ev = comment('/arm64 retest');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(2);
    const [a, b] = h.gh.dispatches;
    expect(b!.inputs).toMatchObject({ sha: HEAD, pr: '12', 'python-versions': '["3.12"]' });
    expect(b!.inputs.dispatch_id).not.toBe(a!.inputs.dispatch_id);
    // A new check run (GitHub shows the newest one of a name), the old one keeps its result.
    expect(checks()).toHaveLength(2);
    expect(checks()[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(checks()[1]).toMatchObject({ status: 'queued' });
    expect(checks()[1]!.output.summary).toContain(`Re-run of dispatch ${a!.inputs.dispatch_id}`);
    expect(reactionsOn(ev)).toEqual(['eyes', 'rocket']);
  });

  it('says there is nothing to retest before any run', async () => {
    const ev = comment('/arm64 retest');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual(['confused']);
    expect(replies()[0]!.body).toContain('no arm64 run of the head commit');
  });
});

describe('/arm64 cancel', () => {
  it("cancels the pull request's workflow runs in flight and completes their check runs as cancelled", async () => {
    await h.send(h.gh.events.pullRequestEvent(repo(), 'opened', 12));
    const run = runs()[0]!;
    await h.gh.startRun(run.id);
    await h.settle();
    const ev = comment('/arm64 cancel');
    await h.send(ev);
    expect(h.gh.cancelled.map((c) => c.runId)).toEqual([run.id]);
    expect(checks()[0]).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(checks()[0]!.output.summary).toContain('Cancelled by @maintainer');
    expect(reactionsOn(ev)).toEqual(['eyes']);
    expect(replies()[0]!.body).toContain('cancelled 1 run');
    // GitHub's own workflow_run.completed (cancelled) followed; it did not erase the reason.
    expect(checks()[0]!.output.summary).toContain('Cancelled by @maintainer');
  });

  it('says so when nothing is in flight', async () => {
    await openedAndFinished();
    await h.send(comment('/arm64 cancel'));
    expect(h.gh.cancelled).toEqual([]);
    expect(replies()[0]!.body).toContain('nothing to cancel');
  });
});

describe('/arm64 status and /arm64 help', () => {
  it("replies with a table of the pull request's latest runs", async () => {
    const run = await openedAndFinished('failure');
    const ev = comment('/arm64 status');
    await h.send(ev);
    expect(reactionsOn(ev)).toEqual(['eyes']);
    const body = replies()[0]!.body;
    expect(body).toContain('| commit | trigger | by | state | link |');
    expect(body).toContain(`\`${HEAD.slice(0, 7)}\` (head) | pull request | @maintainer | ❌ failure |`);
    expect(body).toContain(`/actions/runs/${run.id}`);
  });

  it('replies with the command table and the inputs a run can override', async () => {
    await h.send(comment('/arm64 help'));
    const body = replies()[0]!.body;
    for (const cmd of ['/arm64 run [key=value …]', '/arm64 retest', '/arm64 cancel', '/arm64 status', '/ok-to-test [sha]'])
      expect(body).toContain(`\`${cmd}\``);
    expect(body).toContain('`python-versions`');
  });

  it("answers an unknown sub-command with the parser's suggestion and the help table", async () => {
    const ev = comment('/arm64 rerun');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual(['confused']);
    const body = replies()[0]!.body;
    expect(body).toContain('unknown command `rerun`; did you mean `/arm64 retest`?');
    expect(body).toContain('| command | what it does |');
  });
});

describe('several commands in one comment', () => {
  it('answers each of them in one reply, with every reaction that applies', async () => {
    const ev = comment('/arm64 status\nand also\n/arm64 frobnicate\n/arm64 run nope=1\n/arm64 run');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(1);
    expect(reactionsOn(ev).sort()).toEqual(['confused', 'eyes', 'rocket']);
    expect(replies()).toHaveLength(1);
    const body = replies()[0]!.body;
    expect(body).toContain('`/arm64 status`:');
    expect(body).toContain('`/arm64 frobnicate`: refused: unknown command');
    expect(body).toContain('`/arm64 run nope=1`: refused:');
    expect(body).not.toContain('`/arm64 run`:');
  });
});

describe('comments that are not commands', () => {
  it("ignores a bot's comment, ours included, without calling GitHub", async () => {
    const before = h.gh.requests.length;
    await h.send(comment('/arm64 run', 'other-ci[bot]', { userType: 'Bot' }));
    await h.send(comment('/arm64 run', 'arm64-ci[bot]', { userType: 'Bot' }));
    expect(h.gh.requests.length).toBe(before);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(h.gh.reactions).toHaveLength(0);
  });

  it('ignores commands inside code blocks and quotes', async () => {
    const before = h.gh.requests.length;
    await h.send(comment('To run it, write:\n\n```\n/arm64 run\n```\n\n> /arm64 run\n\n    /arm64 run\n'));
    expect(h.gh.dispatches).toHaveLength(0);
    expect(h.gh.reactions).toHaveLength(0);
    expect(replies()).toHaveLength(0);
    // Only the config was read: nothing else was asked of GitHub.
    expect(h.gh.requests.slice(before).map((r) => r.operationId)).toEqual([
      'apps/create-installation-access-token',
      'repos/get-content',
    ]);
  });

  it('ignores a command hidden in an HTML comment from a writer: nothing dispatched, no reaction, no reply', async () => {
    const ev = comment('Thanks, looks fine.\n\n<!-- /arm64 run -->\n<!--\n/ok-to-test\n-->\n');
    expect((await h.send(ev)).body).toEqual({ status: 'accepted' });
    expect(h.gh.dispatches).toHaveLength(0);
    expect(checks()).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual([]);
    expect(replies()).toHaveLength(0);
  });

  it('ignores a command behind a collapsed <details> and one on a lazy quote line', async () => {
    const ev = comment('<details><summary>Logs</summary>\n\n/arm64 run\n\n</details>\n\n> earlier\n/ok-to-test\n');
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(reactionsOn(ev)).toEqual([]);
    expect(replies()).toHaveLength(0);
  });

  it('ignores an edited comment (the route does not pass it on) and a deleted one', async () => {
    const edit = comment('/arm64 run', 'maintainer', { action: 'edited' });
    expect((await h.send(edit)).body).toMatchObject({ status: 'ignored' });
    const deleted = await h.send(comment('/arm64 run', 'maintainer', { action: 'deleted' }));
    expect(deleted.body).toMatchObject({ status: 'ignored' });
    // And should one reach the worker anyway, it does nothing there either.
    await processMessage(h.deps, { deliveryId: 'edited-1', event: edit.event, payload: JSON.stringify(edit.payload), receivedAt: '', groupId: 'g' });
    expect(h.gh.dispatches).toHaveLength(0);
    expect(h.gh.reactions).toHaveLength(0);
  });

  it('ignores comments on issues that are not pull requests', async () => {
    const ev = comment('/arm64 run');
    delete (ev.payload.issue as { pull_request?: unknown }).pull_request;
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(h.gh.reactions).toHaveLength(0);
  });
});

describe('a delivery processed twice', () => {
  it('replies once and dispatches once', async () => {
    const ev = comment('/arm64 run\n/arm64 status\n/ok-to-test');
    const msg = {
      deliveryId: 'retried-delivery-1',
      event: ev.event,
      payload: JSON.stringify(ev.payload),
      receivedAt: h.clock.now().toISOString(),
      groupId: 'octo-org/widget',
    };
    await processMessage(h.deps, msg);
    await processMessage(h.deps, msg);
    await h.settle();
    expect(h.gh.dispatches).toHaveLength(1);
    expect(checks()).toHaveLength(1);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]!.body).toContain('/ok-to-test`: not needed');
    expect(reactionsOn(ev).sort()).toEqual(['eyes', 'rocket']);
  });

  it('finds the reply of the first attempt by its marker instead of posting again', async () => {
    const ev = comment('/arm64 help');
    const msg = { deliveryId: 'retried-delivery-2', event: ev.event, payload: JSON.stringify(ev.payload), receivedAt: '', groupId: 'g' };
    await processMessage(h.deps, msg);
    await processMessage(h.deps, msg);
    expect(replies()).toHaveLength(1);
    // Only the retry looked (the first attempt knew it was first).
    expect(h.gh.requests.filter((r) => r.operationId === 'issues/list-comments')).toHaveLength(1);
  });
});

describe('the sandbox', () => {
  it('plays a slash command round trip through POST /_sandbox/comment', async () => {
    const local = await startLocal({
      env: { PORT: '0', HOST: '127.0.0.1', TABLE_NAME: 'sandbox-commands' },
      inMemory: true,
      playDelayMs: 0,
      log: createLogger({ level: 'error', write: () => {} }),
    });
    try {
      const post = async (body: object) => {
        const r = await fetch(`${local.url}/_sandbox/comment`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return (await r.json()) as { pr: number; sha: string; commentId: number; status: number; opened: { status: number } | null };
      };
      const sent = await post({ pr: 3, body: '/arm64 help', user: 'octo-maintainer' });
      expect(sent.opened?.status).toBe(202);
      expect(sent.status).toBe(202);
      await local.queue.drain();
      await local.standIn!.settled();
      await local.queue.drain();
      const comments = (await (await fetch(`${local.url}/_sandbox/comments/octo-org/arm64-demo/3`)).json()) as {
        id: number;
        byApp: boolean;
        body: string;
        reactions: string[];
      }[];
      expect(comments.find((c) => c.id === sent.commentId)?.reactions).toEqual(['eyes']);
      expect(comments.filter((c) => c.byApp)).toHaveLength(1);
      expect(comments.find((c) => c.byApp)!.body).toContain('| `/arm64 retest` |');
      // The same pull request is reused, not opened again.
      expect((await post({ pr: 3, body: '/arm64 status' })).opened).toBeNull();

      // The documented fork round trip: the comment comes once the head is shown as waiting, so it approves it.
      const fork = await post({ pr: 7, fork: true, body: '/ok-to-test' });
      await local.queue.drain();
      await local.standIn!.settled();
      await local.queue.drain();
      const forkComments = (await (await fetch(`${local.url}/_sandbox/comments/octo-org/arm64-demo/7`)).json()) as {
        id: number;
        reactions: string[];
      }[];
      expect(forkComments.find((c) => c.id === fork.commentId)?.reactions).toEqual(['eyes', 'rocket']);
    } finally {
      await local.close();
    }
  });
});
