import { generateKeyPairSync, createSign } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from '@octokit/app';
import { Octokit } from '@octokit/core';
import { unzipSync, strFromU8 } from 'fflate';
import {
  startGitHubStandIn,
  validateResponse,
  type GitHubStandIn,
  type SeedRepo,
} from '../src';

const APP_ID = 4242;
const INSTALLATION = 777;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

const MAIN_SHA = 'a'.repeat(40);
const PR_SHA = 'b'.repeat(40);
const CONFIG = 'workflow: arm64-ci.yml\nrunner_labels: [self-hosted, arm64, dgx]\n';

const seed: SeedRepo = {
  owner: 'octo-org',
  name: 'widgets',
  installationId: INSTALLATION,
  branches: { main: MAIN_SHA, 'release/1.0': 'c'.repeat(40) },
  files: { '.github/arm64-ci.yml': CONFIG, 'README.md': '# widgets\n' },
  filesAt: { 'pr-head': { '.github/arm64-ci.yml': 'workflow: evil.yml\n' } },
  workflows: [
    {
      file: 'arm64-ci.yml',
      name: 'arm64 CI',
      runName: 'arm64 CI ${{ inputs.dispatch_id }} (${{ inputs.sha }})',
      inputs: {
        sha: { required: true },
        pr: {},
        runner_labels: { required: true },
        dispatch_id: { required: true },
        'python-versions': { default: '["3.11"]' },
      },
    },
    { file: 'lint.yml' },
  ],
  collaborators: { alice: 'admin', bob: 'maintain', carol: 'triage' },
  pulls: [
    { number: 7, headSha: PR_SHA, headRef: 'pr-head', user: 'alice', title: 'Add arm64' },
    { number: 8, headSha: 'd'.repeat(40), headRef: 'fork-branch', headRepo: 'mallory/widgets', user: 'mallory' },
  ],
  runners: [{ name: 'dgx-1', labels: ['self-hosted', 'Linux', 'ARM64', 'dgx'] }],
  orgRunners: [{ name: 'org-arm-1', labels: ['self-hosted', 'arm64'], status: 'offline' }],
};

let clock = new Date('2026-03-01T12:00:00Z');
let gh: GitHubStandIn;
let octokit: Octokit;

function appFor(url: string, key = privatePem, appId = APP_ID) {
  return new App({ appId, privateKey: key, Octokit: Octokit.defaults({ baseUrl: url }) });
}

/** Asserts the answer matches the response schema GitHub documents for that operation and status. */
function expectDocumented(method: string, path: string, status: number, body: unknown) {
  expect(validateResponse({ method, path, status, body })).toEqual({ ok: true });
}

type GitHubError = { status: number; response: { data: { message: string; documentation_url: string } } };

/** The error an octokit request was rejected with. */
async function rejection(p: Promise<unknown>): Promise<GitHubError> {
  try {
    await p;
  } catch (err) {
    return err as GitHubError;
  }
  throw new Error('expected the request to be rejected');
}

const dispatchInputs = {
  sha: MAIN_SHA,
  pr: '',
  runner_labels: '["self-hosted","arm64","dgx"]',
  dispatch_id: '01J0DISPATCH',
};

beforeAll(async () => {
  gh = await startGitHubStandIn({
    now: () => clock,
    app: { id: APP_ID, slug: 'arm64-ci', publicKeyPem: publicPem },
    repos: [seed],
  });
  octokit = (await appFor(gh.url).getInstallationOctokit(INSTALLATION)) as unknown as Octokit;
});

afterAll(async () => {
  await gh.close();
});

beforeEach(() => {
  // Each test starts with no recorded violations so its own assertions are precise.
  gh.violations.length = 0;
});

describe('authentication', () => {
  it('issues installation tokens for a valid App JWT and accepts them on repository routes', async () => {
    const before = gh.tokensIssued;
    const inst = (await appFor(gh.url).getInstallationOctokit(INSTALLATION)) as unknown as Octokit;
    const res = await inst.request('GET /repos/{owner}/{repo}', { owner: 'octo-org', repo: 'widgets' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ full_name: 'octo-org/widgets', default_branch: 'main', private: false });
    expectDocumented('GET', '/repos/octo-org/widgets', 200, res.data);
    expect(gh.tokensIssued).toBe(before + 1);
    expect(gh.violations).toEqual([]);
  });

  it('answers the token request with token and expires_at one hour of the stand-in clock ahead', async () => {
    const app = appFor(gh.url);
    const res = await app.octokit.request('POST /app/installations/{installation_id}/access_tokens', {
      installation_id: INSTALLATION,
    });
    expect(res.status).toBe(201);
    expect(res.data.token).toMatch(/^ghs_/);
    expect(res.data.expires_at).toBe('2026-03-01T13:00:00Z');
  });

  it('rejects a JWT signed with another key, or for another app id', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const forged = appFor(gh.url, other);
    await expect(
      forged.octokit.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: INSTALLATION }),
    ).rejects.toMatchObject({ status: 401 });
    const wrongApp = appFor(gh.url, privatePem, 9999);
    await expect(wrongApp.octokit.request('GET /app')).rejects.toMatchObject({ status: 401 });
    expect((await appFor(gh.url).octokit.request('GET /app')).data).toMatchObject({ id: APP_ID, slug: 'arm64-ci' });
  });

  it('rejects an expired JWT', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const head = b64({ alg: 'RS256', typ: 'JWT' });
    const body = b64({ iat: now - 1200, exp: now - 600, iss: APP_ID });
    const sig = createSign('RSA-SHA256').update(`${head}.${body}`).sign(privatePem).toString('base64url');
    const res = await fetch(`${gh.url}/app`, { headers: { authorization: `Bearer ${head}.${body}.${sig}` } });
    expect(res.status).toBe(401);
  });

  it('answers 401 Bad credentials without a token, with an unknown token, and with an expired one', async () => {
    const url = `${gh.url}/repos/octo-org/widgets`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ message: 'Bad credentials' });
    expect((await fetch(url, { headers: { authorization: 'token ghs_nope' } })).status).toBe(401);

    const app = appFor(gh.url);
    const { data } = await app.octokit.request('POST /app/installations/{installation_id}/access_tokens', {
      installation_id: INSTALLATION,
    });
    expect((await fetch(url, { headers: { authorization: `token ${data.token}` } })).status).toBe(200);
    expect((await fetch(url, { headers: { authorization: `Bearer ${data.token}` } })).status).toBe(200);
    const saved = clock;
    clock = new Date(clock.getTime() + 3_600_000);
    try {
      expect((await fetch(url, { headers: { authorization: `token ${data.token}` } })).status).toBe(401);
    } finally {
      clock = saved;
    }
  });

  it('does not accept an installation token on App routes, nor an App JWT on repository routes', async () => {
    const app = appFor(gh.url);
    const { data } = await app.octokit.request('POST /app/installations/{installation_id}/access_tokens', {
      installation_id: INSTALLATION,
    });
    const hooks = await fetch(`${gh.url}/app/hook/deliveries`, { headers: { authorization: `Bearer ${data.token}` } });
    expect(hooks.status).toBe(401);
    const { token: jwt } = (await app.octokit.auth({ type: 'app' })) as { token: string };
    const repo = await fetch(`${gh.url}/repos/octo-org/widgets`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(repo.status).toBe(401);
  });

  it('hides repositories the installation does not cover (404)', async () => {
    await expect(octokit.request('GET /repos/{owner}/{repo}', { owner: 'someone', repo: 'else' })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('validation at the door', () => {
  it('answers 422 like GitHub and records the violation for an invalid body', async () => {
    const err = await rejection(
      octokit.request('POST /repos/{owner}/{repo}/check-runs', {
        owner: 'octo-org',
        repo: 'widgets',
        name: 'arm64 CI',
        head_sha: MAIN_SHA,
        conclusion: 'bogus' as 'success',
      }),
    );
    expect(err.status).toBe(422);
    expect(err.response.data.message).toMatch(/^Invalid request\.\n\n/);
    expect(err.response.data.documentation_url).toContain('docs.github.com');
    expect(gh.violations).toHaveLength(1);
    expect(gh.violations[0]).toMatchObject({ kind: 'spec', status: 422, operationId: 'checks/create' });
    expect(gh.checkRuns('octo-org', 'widgets').filter((c) => c.headSha === MAIN_SHA && c.name === 'arm64 CI')).toHaveLength(0);
  });

  it('answers 404 Not Found for a route GitHub does not have, and records it', async () => {
    const res = await fetch(`${gh.url}/repos/octo-org/widgets/nonsense`, { headers: { authorization: 'token x' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: 'Not Found' });
    expect(gh.violations).toMatchObject([{ status: 404, kind: 'spec', path: '/repos/octo-org/widgets/nonsense' }]);
  });

  it('records every request with its status', async () => {
    const n = gh.requests.length;
    await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: 'octo-org', repo: 'widgets', pull_number: 7 });
    expect(gh.requests.slice(n)).toMatchObject([
      { method: 'GET', path: '/repos/octo-org/widgets/pulls/7', status: 200, operationId: 'pulls/get' },
    ]);
  });
});

describe('repository contents', () => {
  const get = (path: string, ref?: string) =>
    octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: 'octo-org', repo: 'widgets', path, ref });

  it('serves a file as base64 JSON from the default branch', async () => {
    const res = await get('.github/arm64-ci.yml');
    const data = res.data as { type: string; encoding: string; content: string; path: string };
    expect(data).toMatchObject({ type: 'file', encoding: 'base64', path: '.github/arm64-ci.yml' });
    expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe(CONFIG);
    expectDocumented('GET', '/repos/octo-org/widgets/contents/.github/arm64-ci.yml', 200, res.data);
  });

  it('serves the file as it is on another ref, by branch name or head sha', async () => {
    for (const ref of ['pr-head', PR_SHA]) {
      const data = (await get('.github/arm64-ci.yml', ref)).data as { content: string };
      expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe('workflow: evil.yml\n');
    }
  });

  it('answers 404 for a missing file and for an unknown ref', async () => {
    await expect(get('.github/missing.yml')).rejects.toMatchObject({ status: 404 });
    await expect(get('.github/arm64-ci.yml', 'no-such-branch')).rejects.toMatchObject({ status: 404 });
  });

  it('lists a directory and serves raw content on request', async () => {
    const dir = (await get('.github')).data as { name: string; type: string }[];
    expect(dir).toEqual([expect.objectContaining({ name: 'arm64-ci.yml', type: 'file' })]);
    const raw = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: 'octo-org',
      repo: 'widgets',
      path: 'README.md',
      mediaType: { format: 'raw' },
    });
    expect(raw.data).toBe('# widgets\n');
  });
});

describe('check runs', () => {
  const base = { owner: 'octo-org', repo: 'widgets' };
  const annotation = (line: number) => ({
    path: 'tests/test_a.py',
    start_line: line,
    end_line: line,
    annotation_level: 'failure' as const,
    message: `failed at ${line}`,
  });

  it('creates, updates with appended annotations, reads, and keeps the history', async () => {
    const created = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
      ...base,
      name: 'history check',
      head_sha: PR_SHA,
      status: 'in_progress',
      details_url: 'https://example.com/runs/1',
      output: { title: 'Running', summary: 'started', annotations: [annotation(1)] },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'history check', head_sha: PR_SHA, status: 'in_progress', conclusion: null });
    expect(created.data.pull_requests).toEqual([expect.objectContaining({ number: 7 })]);
    expectDocumented('POST', '/repos/octo-org/widgets/check-runs', 201, created.data);
    const id = created.data.id;

    await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      ...base,
      check_run_id: id,
      output: { title: 'Running', summary: 'more', annotations: [annotation(2), annotation(3)] },
    });
    const done = await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      ...base,
      check_run_id: id,
      status: 'completed',
      conclusion: 'failure',
      output: { title: '2 failed', summary: 'done', text: 'details' },
      actions: [{ label: 'Re-run', description: 'Run the arm64 tests again', identifier: 'rerun' }],
    });
    expect(done.data).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      completed_at: '2026-03-01T12:00:00Z',
      output: { title: '2 failed', summary: 'done', text: 'details', annotations_count: 3 },
    });
    expectDocumented('PATCH', `/repos/octo-org/widgets/check-runs/${id}`, 200, done.data);

    const got = await octokit.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...base, check_run_id: id });
    expect(got.data.output.annotations_count).toBe(3);

    const record = gh.checkRuns('octo-org', 'widgets').find((c) => c.id === id)!;
    expect(record.history.map((h) => h.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    expect(record.annotations.map((a) => a.start_line)).toEqual([1, 2, 3]);
    expect(record.actions).toEqual([{ label: 'Re-run', description: 'Run the arm64 tests again', identifier: 'rerun' }]);
    expect(gh.violations).toEqual([]);
  });

  it('lists check runs for a ref with check_name and status filters', async () => {
    for (const [name, status] of [
      ['list A', 'queued'],
      ['list B', 'in_progress'],
    ] as const) {
      await octokit.request('POST /repos/{owner}/{repo}/check-runs', { ...base, name, head_sha: MAIN_SHA, status });
    }
    const all = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ...base, ref: MAIN_SHA });
    expect(all.data.check_runs.map((c) => c.name)).toEqual(expect.arrayContaining(['list A', 'list B']));
    expectDocumented('GET', `/repos/octo-org/widgets/commits/${MAIN_SHA}/check-runs`, 200, all.data);

    const byName = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
      ...base,
      ref: 'main',
      check_name: 'list B',
    });
    expect(byName.data).toMatchObject({ total_count: 1, check_runs: [{ name: 'list B' }] });
    const queued = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
      ...base,
      ref: MAIN_SHA,
      status: 'queued',
    });
    expect(queued.data.check_runs.map((c) => c.name)).toEqual(['list A']);
  });

  it("applies GitHub's rule that a completed check run needs a conclusion (semantic violation)", async () => {
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/check-runs', { ...base, name: 'x', head_sha: MAIN_SHA, status: 'completed' }),
    ).rejects.toMatchObject({ status: 422 });
    expect(gh.violations).toMatchObject([{ kind: 'semantic', status: 422 }]);
  });

  it('answers 404 for a check run of another repository or an unknown id', async () => {
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...base, check_run_id: 1 }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('workflow dispatch and runs', () => {
  const base = { owner: 'octo-org', repo: 'widgets' };
  const dispatchPath = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches' as const;

  it('answers 204 and creates a queued run whose display_title renders run-name', async () => {
    const res = await octokit.request(dispatchPath, {
      ...base,
      workflow_id: 'arm64-ci.yml',
      ref: 'main',
      inputs: { ...dispatchInputs, dispatch_id: 'D-204' },
    });
    expect(res.status).toBe(204);
    const run = gh.workflowRuns('octo-org', 'widgets').find((r) => r.displayTitle.includes('D-204'))!;
    expect(run).toMatchObject({
      status: 'queued',
      event: 'workflow_dispatch',
      headSha: MAIN_SHA,
      headBranch: 'main',
      runAttempt: 1,
      displayTitle: `arm64 CI D-204 (${MAIN_SHA})`,
    });
    expect(gh.dispatches.at(-1)).toMatchObject({ workflow: 'arm64-ci.yml', ref: 'main', returnRunDetails: false, runId: run.id });
    expect(gh.dispatches.at(-1)!.inputs).toEqual({ ...dispatchInputs, dispatch_id: 'D-204' });
  });

  it('answers 200 with the run ids when return_run_details is true, and serves that run', async () => {
    const res = await octokit.request(dispatchPath, {
      ...base,
      workflow_id: 'arm64-ci.yml',
      ref: 'main',
      inputs: { ...dispatchInputs, dispatch_id: 'D-200' },
      return_run_details: true,
    });
    expect(res.status).toBe(200);
    const data = res.data as unknown as { workflow_run_id: number; run_url: string; html_url: string };
    expect(data.run_url).toBe(`${gh.url}/repos/octo-org/widgets/actions/runs/${data.workflow_run_id}`);
    expect(data.html_url).toContain(`/octo-org/widgets/actions/runs/${data.workflow_run_id}`);

    const run = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...base, run_id: data.workflow_run_id });
    expect(run.data).toMatchObject({
      id: data.workflow_run_id,
      display_title: `arm64 CI D-200 (${MAIN_SHA})`,
      head_sha: MAIN_SHA,
      status: 'queued',
      conclusion: null,
      run_attempt: 1,
      event: 'workflow_dispatch',
      html_url: data.html_url,
    });
    expect(run.data.created_at).toBe('2026-03-01T12:00:00Z');
    expectDocumented('GET', `/repos/octo-org/widgets/actions/runs/${data.workflow_run_id}`, 200, run.data);
  });

  it('rejects unexpected inputs, missing required inputs and non-string values with 422', async () => {
    const send = (inputs: Record<string, unknown>) =>
      octokit.request(dispatchPath, { ...base, workflow_id: 'arm64-ci.yml', ref: 'main', inputs: inputs as Record<string, string> });
    const unexpected = await rejection(send({ ...dispatchInputs, colour: 'blue', size: 'xl' }));
    expect(unexpected.status).toBe(422);
    expect(unexpected.response.data.message).toBe('Unexpected inputs provided: ["colour","size"]');
    await expect(send({ sha: MAIN_SHA, runner_labels: '[]' })).rejects.toMatchObject({ status: 422 });
    await expect(send({ ...dispatchInputs, pr: 12 })).rejects.toMatchObject({ status: 422 });
    expect(gh.violations.map((v) => v.kind)).toEqual(['semantic', 'semantic', 'semantic']);
  });

  it('answers 404 for an unknown workflow and 422 for an unknown ref or a workflow without workflow_dispatch', async () => {
    await expect(
      octokit.request(dispatchPath, { ...base, workflow_id: 'nope.yml', ref: 'main', inputs: dispatchInputs }),
    ).rejects.toMatchObject({ status: 404 });
    const badRef = await rejection(
      octokit.request(dispatchPath, { ...base, workflow_id: 'arm64-ci.yml', ref: 'no-branch', inputs: dispatchInputs }),
    );
    expect(badRef.status).toBe(422);
    expect(badRef.response.data.message).toBe('No ref found for: no-branch');
    await expect(octokit.request(dispatchPath, { ...base, workflow_id: 'lint.yml', ref: 'main' })).rejects.toMatchObject({
      status: 422,
    });
  });

  it('lists runs of a workflow with created/head_sha/event/status filters and page links', async () => {
    for (const id of ['L1', 'L2', 'L3']) {
      clock = new Date(clock.getTime() + 60_000);
      await octokit.request(dispatchPath, {
        ...base,
        workflow_id: 'arm64-ci.yml',
        ref: 'release/1.0',
        inputs: { ...dispatchInputs, dispatch_id: id },
      });
    }
    const list = (q: Record<string, string | number>) =>
      octokit.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', { ...base, workflow_id: 'arm64-ci.yml', ...q });
    const since = new Date(clock.getTime() - 90_000).toISOString();
    const recent = await list({ created: `>=${since}`, head_sha: 'c'.repeat(40), event: 'workflow_dispatch', status: 'queued' });
    expect(recent.data.workflow_runs.map((r) => r.display_title)).toEqual([
      `arm64 CI L3 (${MAIN_SHA})`,
      `arm64 CI L2 (${MAIN_SHA})`,
    ]);
    expectDocumented('GET', '/repos/octo-org/widgets/actions/workflows/arm64-ci.yml/runs', 200, recent.data);

    const page1 = await list({ per_page: 2, head_sha: 'c'.repeat(40) });
    expect(page1.data.total_count).toBe(3);
    expect(page1.data.workflow_runs).toHaveLength(2);
    expect(page1.headers.link).toContain('rel="next"');
    const page2 = await list({ per_page: 2, page: 2, head_sha: 'c'.repeat(40) });
    expect(page2.data.workflow_runs.map((r) => r.display_title)).toEqual([`arm64 CI L1 (${MAIN_SHA})`]);
    expect((await list({ status: 'success', head_sha: 'c'.repeat(40) })).data.total_count).toBe(0);
  });

  it('cancels a running run (202) and answers 409 once it is completed', async () => {
    const res = await octokit.request(dispatchPath, {
      ...base,
      workflow_id: 'arm64-ci.yml',
      ref: 'main',
      inputs: { ...dispatchInputs, dispatch_id: 'CANCEL' },
      return_run_details: true,
    });
    const runId = (res.data as unknown as { workflow_run_id: number }).workflow_run_id;
    const cancel = await octokit.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', { ...base, run_id: runId });
    expect(cancel.status).toBe(202);
    expect(gh.cancelled.map((c) => c.runId)).toContain(runId);
    const run = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...base, run_id: runId });
    expect(run.data).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', { ...base, run_id: runId }),
    ).rejects.toMatchObject({ status: 409 });
  });
});

describe('jobs and artifacts', () => {
  const base = { owner: 'octo-org', repo: 'widgets' };
  let runId = 0;

  beforeAll(async () => {
    const res = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      ...base,
      workflow_id: 'arm64-ci.yml',
      ref: 'main',
      inputs: { ...dispatchInputs, dispatch_id: 'JOBS' },
      return_run_details: true,
    });
    runId = (res.data as unknown as { workflow_run_id: number }).workflow_run_id;
    // No webhook target: playing only changes state.
    await gh.play(runId, {
      jobs: [
        { name: 'test (3.10)', conclusion: 'success' },
        { name: 'test (3.11)', runnerName: 'dgx-1', conclusion: 'failure' },
      ],
      artifacts: [
        { name: 'smoke-test-results', files: { 'junit-3.10.xml': '<testsuite tests="1"/>' } },
        { name: 'logs', files: { 'log.txt': 'hello' } },
      ],
    });
  });

  it('lists the jobs with labels, runner and conclusion', async () => {
    const res = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', { ...base, run_id: runId });
    expect(res.data.total_count).toBe(2);
    expect(res.data.jobs).toMatchObject([
      { name: 'test (3.10)', status: 'completed', conclusion: 'success', labels: ['self-hosted', 'arm64', 'dgx'], runner_name: 'dgx-1' },
      { name: 'test (3.11)', status: 'completed', conclusion: 'failure', runner_name: 'dgx-1' },
    ]);
    expectDocumented('GET', `/repos/octo-org/widgets/actions/runs/${runId}/jobs`, 200, res.data);
    const run = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...base, run_id: runId });
    expect(run.data).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('lists artifacts with the name filter', async () => {
    const all = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', { ...base, run_id: runId });
    expect(all.data.total_count).toBe(2);
    expectDocumented('GET', `/repos/octo-org/widgets/actions/runs/${runId}/artifacts`, 200, all.data);
    const one = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', {
      ...base,
      run_id: runId,
      name: 'smoke-test-results',
    });
    expect(one.data).toMatchObject({ total_count: 1, artifacts: [{ name: 'smoke-test-results', expired: false }] });
  });

  it('redirects a download to a zip that expires after a minute of the stand-in clock (410)', async () => {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', {
      ...base,
      run_id: runId,
      name: 'smoke-test-results',
    });
    const artifactId = data.artifacts[0]!.id;
    // octokit follows the redirect, as the coordinator would.
    const followed = await octokit.request('GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}', {
      ...base,
      artifact_id: artifactId,
      archive_format: 'zip',
    });
    const files = unzipSync(new Uint8Array(followed.data as ArrayBuffer));
    expect(strFromU8(files['junit-3.10.xml']!)).toBe('<testsuite tests="1"/>');

    const { token } = (await octokit.auth({ type: 'installation' })) as { token: string };
    const redirect = await fetch(`${gh.url}/repos/octo-org/widgets/actions/artifacts/${artifactId}/zip`, {
      headers: { authorization: `token ${token}` },
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect((await fetch(location)).status).toBe(200);
    const saved = clock;
    clock = new Date(clock.getTime() + 61_000);
    try {
      expect((await fetch(location)).status).toBe(410);
    } finally {
      clock = saved;
    }
  });
});

describe('pull requests, permissions, comments, reactions, runners', () => {
  const base = { owner: 'octo-org', repo: 'widgets' };

  it('serves a pull request, including a fork head', async () => {
    const own = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...base, pull_number: 7 });
    expect(own.data).toMatchObject({ number: 7, head: { sha: PR_SHA, ref: 'pr-head', repo: { full_name: 'octo-org/widgets' } } });
    expectDocumented('GET', '/repos/octo-org/widgets/pulls/7', 200, own.data);
    const fork = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...base, pull_number: 8 });
    expect(fork.data.head.repo).toMatchObject({ full_name: 'mallory/widgets', fork: true });
    expect(fork.data.base.repo.full_name).toBe('octo-org/widgets');
    await expect(octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...base, pull_number: 99 })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('reports collaborator permission with role_name', async () => {
    const perm = (username: string) =>
      octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...base, username });
    const bob = await perm('bob');
    expect(bob.data).toMatchObject({ permission: 'write', role_name: 'maintain', user: { login: 'bob' } });
    expectDocumented('GET', '/repos/octo-org/widgets/collaborators/bob/permission', 200, bob.data);
    expect((await perm('alice')).data).toMatchObject({ permission: 'admin', role_name: 'admin' });
    expect((await perm('carol')).data).toMatchObject({ permission: 'read', role_name: 'triage' });
    expect((await perm('stranger')).data).toMatchObject({ permission: 'read' });
  });

  it('creates comments on pull requests and reactions on existing comments', async () => {
    const posted = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...base,
      issue_number: 7,
      body: 'Running arm64 CI',
    });
    expect(posted.status).toBe(201);
    expect(posted.data).toMatchObject({ body: 'Running arm64 CI', user: { login: 'arm64-ci[bot]', type: 'Bot' } });
    expectDocumented('POST', '/repos/octo-org/widgets/issues/7/comments', 201, posted.data);
    expect(gh.comments.at(-1)).toMatchObject({ issueNumber: 7, body: 'Running arm64 CI', viaApp: true });

    const userComment = gh.events.issueCommentEvent('octo-org/widgets', { pr: 7, body: '/arm64 run', user: 'alice' });
    const commentId = userComment.payload.comment.id as number;
    const reaction = await octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
      ...base,
      comment_id: commentId,
      content: 'eyes',
    });
    expect(reaction.status).toBe(201);
    expectDocumented('POST', `/repos/octo-org/widgets/issues/comments/${commentId}/reactions`, 201, reaction.data);
    expect(gh.reactions.at(-1)).toMatchObject({ commentId, content: 'eyes' });
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { ...base, comment_id: 123, content: 'eyes' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
        ...base,
        comment_id: commentId,
        content: 'party' as 'eyes',
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('lists repository and organization runners', async () => {
    const repo = await octokit.request('GET /repos/{owner}/{repo}/actions/runners', base);
    expect(repo.data).toMatchObject({ total_count: 1, runners: [{ name: 'dgx-1', status: 'online', busy: false }] });
    expect(repo.data.runners[0]!.labels.map((l) => l.name)).toEqual(['self-hosted', 'Linux', 'ARM64', 'dgx']);
    expectDocumented('GET', '/repos/octo-org/widgets/actions/runners', 200, repo.data);
    const org = await octokit.request('GET /orgs/{org}/actions/runners', { org: 'octo-org' });
    expect(org.data).toMatchObject({ total_count: 1, runners: [{ name: 'org-arm-1', status: 'offline' }] });
    await expect(octokit.request('GET /orgs/{org}/actions/runners', { org: 'other-org' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('failNext', () => {
  const base = { owner: 'octo-org', repo: 'widgets' };

  it('fails the next matching request once, then answers normally', async () => {
    gh.failNext({ method: 'GET', pathPattern: /\/pulls\/7$/, status: 502 });
    await expect(octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...base, pull_number: 7 })).rejects.toMatchObject({
      status: 502,
    });
    const ok = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...base, pull_number: 7 });
    expect(ok.status).toBe(200);
  });

  it('skips requests that do not match and honours times', async () => {
    gh.failNext({ method: 'POST', pathPattern: /check-runs$/, status: 500, times: 2 });
    expect((await octokit.request('GET /repos/{owner}/{repo}', base)).status).toBe(200);
    const create = () => octokit.request('POST /repos/{owner}/{repo}/check-runs', { ...base, name: 'flaky', head_sha: MAIN_SHA });
    await expect(create()).rejects.toMatchObject({ status: 500 });
    await expect(create()).rejects.toMatchObject({ status: 500 });
    expect((await create()).status).toBe(201);
  });

  it('sends rate-limit answers with the headers and messages clients act on', async () => {
    gh.failNext({ status: 429, headers: { 'retry-after': '7' } });
    const limited = await fetch(`${gh.url}/repos/octo-org/widgets`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');

    gh.failNext({ status: 403 });
    const secondary = await fetch(`${gh.url}/repos/octo-org/widgets`);
    expect(secondary.status).toBe(403);
    expect(((await secondary.json()) as { message: string }).message).toMatch(/secondary rate limit/);
  });
});
