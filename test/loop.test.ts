import { describe, expect, it } from 'vitest';
import { seedRepo, startHarness, PUBLIC_URL, type Harness } from './support/harness';
import { rigForEachTest } from './support/rig';

let h: Harness;
rigForEachTest(startHarness, (rig) => (h = rig));

const REPO = 'octo-org/widget';
const repo = () => h.gh.repo('octo-org', 'widget');
const push = (after: string, ref = 'refs/heads/main', extra: { deleted?: boolean } = {}) =>
  h.gh.events.pushEvent(repo(), { ref, after, ...extra });
const sha = (n: number) => n.toString(16).padStart(40, 'a');
const checks = () => h.gh.checkRuns('octo-org', 'widget');
const runs = () => h.gh.workflowRuns('octo-org', 'widget');
const badge = async (file: string, query = '') => {
  const r = await h.app.request(`/badges/${REPO}/${file}${query}`);
  return { status: r.status, text: await r.text(), headers: r.headers };
};

describe('push → check run → dispatch → workflow run → check run → badge', () => {
  it('runs the whole loop to a passing badge', async () => {
    const r = await h.send(push(sha(1)));
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ status: 'accepted' });

    // A queued check run on the commit, owned by the dispatch.
    expect(checks()).toHaveLength(1);
    const check = checks()[0]!;
    expect(check).toMatchObject({ name: 'arm64 CI', headSha: sha(1), status: 'queued' });
    const dispatchId = check.externalId!;
    expect(dispatchId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(check.detailsUrl).toBe(`${PUBLIC_URL}/repos/${REPO}/runs/${dispatchId}`);

    // The workflow was dispatched with the documented inputs and the configured labels.
    expect(h.gh.dispatches).toHaveLength(1);
    expect(h.gh.dispatches[0]).toMatchObject({
      workflow: 'arm64-ci.yml',
      inputs: {
        sha: sha(1),
        pr: '',
        runner_labels: '["self-hosted","arm64","dgx"]',
        dispatch_id: dispatchId,
        'python-versions': '["3.10","3.11"]',
      },
    });
    const run = runs()[0]!;
    expect(run.displayTitle).toContain(dispatchId);

    // requested → in_progress: the check run follows.
    await h.gh.requestRun(run.id);
    await h.gh.startRun(run.id);
    const job = await h.gh.queueJob(run.id, { name: 'test (3.10)', labels: ['self-hosted', 'arm64', 'dgx'] });
    await h.gh.startJob(job.id, { runnerName: 'dgx-01' });
    await h.settle();
    expect(checks()[0]!.status).toBe('in_progress');
    expect((await badge('status.svg')).text).toContain('running');

    await h.gh.completeJob(job.id, 'success');
    await h.gh.completeRun(run.id, 'success');
    await h.settle();
    const done = checks()[0]!;
    expect(done.status).toBe('completed');
    expect(done.conclusion).toBe('success');
    expect(done.output.summary).toContain('dgx-01');
    expect(done.output.summary).toContain('3.10');
    expect(done.output.summary).toContain(`/actions/runs/${run.id}`);

    const svg = await badge('status.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
    expect(svg.text).toContain('passing');
    const json = await badge('status.json');
    expect(JSON.parse(json.text)).toEqual({ schemaVersion: 1, label: 'arm64', message: 'passing', color: 'brightgreen' });
  });

  it('ends failing when the workflow fails, and the badge says so', async () => {
    await h.send(push(sha(2)));
    const run = runs()[0]!;
    await h.gh.startRun(run.id);
    await h.gh.completeRun(run.id, 'failure');
    await h.settle();
    expect(checks()[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect((await badge('status.svg')).text).toContain('failing');
  });

  it('answers a matching If-None-Match with 304', async () => {
    await h.send(push(sha(3)));
    const first = await badge('status.svg');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await h.app.request(`/badges/${REPO}/status.svg`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it('never moves a check run backwards when events arrive out of order', async () => {
    await h.send(push(sha(4)));
    const run = runs()[0]!;
    // GitHub delivers "completed" first, then the stale "in_progress".
    await h.gh.completeRun(run.id, 'success');
    await h.settle();
    const inProgress = h.gh.events.workflowRunEvent(run, 'in_progress');
    (inProgress.payload.workflow_run as { status: string; conclusion: null }).status = 'in_progress';
    (inProgress.payload.workflow_run as { status: string; conclusion: null }).conclusion = null;
    await h.send(inProgress);
    expect(checks()[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect((await badge('status.svg')).text).toContain('passing');
  });

  it('matches a run by the dispatch id in its title when GitHub returned no run id', async () => {
    await h.send(push(sha(5)));
    // Forget the pointer the dispatch answer created, as on a GHES server without run details.
    const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    const run = runs()[0]!;
    await h.store.doc.send(new DeleteCommand({ TableName: h.store.table, Key: { pk: `WFRUN#${run.id}`, sk: 'WFRUN' } }));
    await h.gh.startRun(run.id);
    await h.gh.completeRun(run.id, 'success');
    await h.settle();
    expect(checks()[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  it('shows the default branch on the badge, and other branches with ?branch=', async () => {
    await h.send(push(sha(6), 'refs/heads/release/1.0'));
    const run = runs()[0]!;
    await h.gh.completeRun(run.id, 'failure');
    await h.settle();
    expect((await badge('status.svg')).text).toContain('no runs');
    expect((await badge('status.svg', '?branch=release/1.0')).text).toContain('failing');
    expect((await badge('status.svg', '?branch=nope')).text).toContain('no runs');
  });
});

describe('pushes that do nothing', () => {
  it('ignores tag pushes and branch deletions without calling GitHub', async () => {
    const before = h.gh.requests.length;
    expect((await h.send(push(sha(7), 'refs/tags/v1.0'))).status).toBe(202);
    expect((await h.send(push('0'.repeat(40), 'refs/heads/main', { deleted: true }))).status).toBe(202);
    expect(h.gh.requests.length).toBe(before);
    expect(checks()).toHaveLength(0);
  });

  it('does nothing for a branch outside triggers.push', async () => {
    await h.send(push(sha(8), 'refs/heads/feature/x'));
    expect(checks()).toHaveLength(0);
    expect(h.gh.dispatches).toHaveLength(0);
  });

  it('does nothing for a repository without .github/arm64-ci.yml', async () => {
    await h.close();
    h = await startHarness({ repos: [seedRepo({ files: {} })] });
    await h.send(push(sha(9)));
    expect(checks()).toHaveLength(0);
    expect(h.gh.dispatches).toHaveLength(0);
  });
});

describe('a broken config', () => {
  it('fails the check run and names the field and line', async () => {
    await h.close();
    const broken = 'workflow: arm64-ci.yml\nrunner_labels: [self-hosted, arm64]\nsmoke_tests:\n  min_pass_rate: 1.5\n';
    h = await startHarness({ repos: [seedRepo({ files: { '.github/arm64-ci.yml': broken } })] });
    await h.send(push(sha(10)));
    expect(h.gh.dispatches).toHaveLength(0);
    expect(checks()).toHaveLength(1);
    const c = checks()[0]!;
    expect(c).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(c.output.summary).toContain('line 4');
    expect(c.output.summary).toContain('smoke_tests.min_pass_rate');
  });

  it('reports YAML syntax errors with their line', async () => {
    await h.close();
    h = await startHarness({ repos: [seedRepo({ files: { '.github/arm64-ci.yml': 'workflow: arm64-ci.yml\nrunner_labels: [a, b\n' } })] });
    await h.send(push(sha(11)));
    const c = checks()[0]!;
    expect(c.conclusion).toBe('failure');
    expect(c.output.summary).toMatch(/line [23]/);
  });
});

describe('a dispatch GitHub refuses', () => {
  it('fails the check run with GitHub\'s reason when the workflow lacks an input', async () => {
    await h.close();
    const { dispatch_id: _omit, ...inputs } = { ...seedRepo().workflows![0]!.inputs! };
    h = await startHarness({ repos: [seedRepo({ workflows: [{ file: 'arm64-ci.yml', inputs }] })] });
    await h.send(push(sha(12)));
    const c = checks()[0]!;
    expect(c).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(c.output.summary).toContain('422');
    expect(c.output.summary).toContain('dispatch_id');
    expect(h.queue.deadLetters).toEqual([]);
    // The one 422 we provoked on purpose, and nothing else.
    expect(h.gh.violations.map((v) => v.kind)).toEqual(['semantic']);
    h.gh.violations.length = 0;
  });

  it('retries a 502 from GitHub and dispatches exactly once', async () => {
    h.gh.failNext({ method: 'POST', pathPattern: /dispatches$/, status: 502 });
    await h.send(push(sha(13)));
    expect(runs()).toHaveLength(1);
    expect(checks()).toHaveLength(1);
    expect(checks()[0]!.status).toBe('queued');
  });
});

describe('pull requests', () => {
  it('dispatches a same-repository pull request with its number', async () => {
    const ev = h.gh.events.pullRequestEvent(repo(), 'opened', { number: 12, headSha: sha(20), headRef: 'feature/x' });
    expect((await h.send(ev)).status).toBe(202);
    expect(h.gh.dispatches).toHaveLength(1);
    expect(h.gh.dispatches[0]!.inputs).toMatchObject({ sha: sha(20), pr: '12' });
    expect(checks()[0]).toMatchObject({ headSha: sha(20), status: 'queued' });
  });

  it('holds a fork pull request from an outside contributor: action_required, nothing dispatched', async () => {
    const ev = h.gh.events.pullRequestEvent(repo(), 'opened', {
      number: 13,
      headSha: sha(21),
      headRef: 'patch-1',
      headRepo: 'stranger/widget',
      user: 'stranger',
      authorAssociation: 'NONE',
    });
    await h.send(ev);
    expect(h.gh.dispatches).toHaveLength(0);
    expect(checks()[0]).toMatchObject({ status: 'completed', conclusion: 'action_required' });
    expect(checks()[0]!.output.summary).toContain('/ok-to-test');
  });
});

describe('a broken config, retried', () => {
  it('creates its failed check run exactly once when the first attempt died before GitHub answered', async () => {
    await h.close();
    const broken = 'workflow: arm64-ci.yml\nsmoke_tests:\n  min_pass_rate: 2\n';
    h = await startHarness({ repos: [seedRepo({ files: { '.github/arm64-ci.yml': broken } })] });
    // GitHub keeps failing the create past octokit's own retries: the queue retries the delivery.
    h.gh.failNext({ method: 'POST', pathPattern: /check-runs$/, status: 502, times: 4 });
    await h.send(push(sha(30)));
    expect(checks()).toHaveLength(1);
    expect(checks()[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    // The same delivery processed again (a queue retry) adds nothing.
    const ev = push(sha(31));
    const first = await h.send(ev, { deliveryId: 'retry-me' });
    const { processMessage } = await import('../src/worker/process');
    await processMessage(h.deps, {
      deliveryId: first.deliveryId,
      event: 'push',
      payload: JSON.stringify(ev.payload),
      receivedAt: new Date().toISOString(),
      groupId: 'octo-org/widget',
    });
    expect(checks().filter((c) => c.headSha === sha(31))).toHaveLength(1);
  });
});

describe('a check-run update GitHub refuses', () => {
  it('still completes the check run, with a plain output pointing at the dashboard', async () => {
    await h.send(push(sha(50)));
    const run = runs()[0]!;
    await h.gh.startRun(run.id);
    await h.settle();
    h.gh.failNext({ method: 'PATCH', pathPattern: /check-runs\/\d+$/, status: 422, body: { message: 'Invalid request.\n\nFor \'properties/output\', nope.' } });
    await h.gh.completeRun(run.id, 'success');
    await h.settle();
    const c = checks()[0]!;
    expect(c).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(c.output.summary).toContain('GitHub refused');
    expect(c.output.summary).toContain(`${PUBLIC_URL}/repos/${REPO}/runs/${c.externalId}`);
  });
});
