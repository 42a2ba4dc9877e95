import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from '@octokit/app';
import { Octokit } from '@octokit/core';
import { Webhooks } from '@octokit/webhooks';
import {
  examplePayload,
  signAndDeliver,
  startGitHubStandIn,
  validateResponse,
  validateWebhookPayload,
  type GitHubStandIn,
} from '../src';

const SECRET = 'stand-in-secret';
const APP_ID = 31337;
const INSTALLATION = 55;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const MAIN_SHA = 'e'.repeat(40);

interface Received {
  event: string;
  delivery: string;
  signature: string;
  body: string;
  payload: any;
  userAgent: string;
  contentType: string;
}

let gh: GitHubStandIn;
let received: Received[] = [];
/** What the fake coordinator answers; tests flip it to simulate an outage. */
let answerStatus = 202;

const capture = async (req: Request): Promise<Response> => {
  const body = await req.text();
  received.push({
    event: req.headers.get('x-github-event') ?? '',
    delivery: req.headers.get('x-github-delivery') ?? '',
    signature: req.headers.get('x-hub-signature-256') ?? '',
    body,
    payload: JSON.parse(body),
    userAgent: req.headers.get('user-agent') ?? '',
    contentType: req.headers.get('content-type') ?? '',
  });
  return new Response(JSON.stringify({ status: 'accepted' }), { status: answerStatus });
};

const dispatchInputs = { sha: MAIN_SHA, pr: '', runner_labels: '["self-hosted","arm64"]', dispatch_id: 'D1' };

async function installationOctokit(): Promise<Octokit> {
  const app = new App({ appId: APP_ID, privateKey: privatePem, Octokit: Octokit.defaults({ baseUrl: gh.url }) });
  return (await app.getInstallationOctokit(INSTALLATION)) as unknown as Octokit;
}

async function appOctokit(): Promise<Octokit> {
  const app = new App({ appId: APP_ID, privateKey: privatePem, Octokit: Octokit.defaults({ baseUrl: gh.url }) });
  return app.octokit as unknown as Octokit;
}

beforeAll(async () => {
  gh = await startGitHubStandIn({
    app: { id: APP_ID, slug: 'arm64-ci' },
    webhook: { target: capture, secret: SECRET },
    repos: [
      {
        owner: 'octo-org',
        name: 'gadgets',
        installationId: INSTALLATION,
        branches: { main: MAIN_SHA },
        workflows: [
          {
            file: 'arm64-ci.yml',
            name: 'arm64 CI',
            runName: 'arm64 CI ${{ inputs.dispatch_id }}',
            inputs: { sha: { required: true }, pr: {}, runner_labels: { required: true }, dispatch_id: { required: true } },
          },
        ],
        pulls: [{ number: 12, headSha: 'f'.repeat(40), headRef: 'feature', user: 'alice' }],
        runners: [{ name: 'arm-box', labels: ['self-hosted', 'arm64'] }],
      },
    ],
  });
});

afterAll(async () => {
  await gh.close();
});

beforeEach(() => {
  received = [];
  answerStatus = 202;
});

describe('examplePayload', () => {
  it('returns a deep copy of the first example with that action', () => {
    const a = examplePayload('workflow_job', 'completed');
    expect(a.action).toBe('completed');
    a.workflow_job.name = 'changed';
    expect(examplePayload('workflow_job', 'completed').workflow_job.name).not.toBe('changed');
    expect(() => examplePayload('no_such_event')).toThrow();
  });
});

describe('signAndDeliver', () => {
  it('sends a body that @octokit/webhooks verifies, with GitHub headers, and logs the delivery', async () => {
    const ev = gh.events.pushEvent('octo-org/gadgets', { ref: 'main', after: MAIN_SHA });
    const result = await gh.deliver(ev);
    expect(result.status).toBe(202);
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(got).toMatchObject({ event: 'push', userAgent: 'GitHub-Hookshot/stand-in', contentType: 'application/json' });
    expect(got.delivery).toBe(result.deliveryId);
    expect(got.delivery).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await new Webhooks({ secret: SECRET }).verify(got.body, got.signature)).toBe(true);
    expect(await new Webhooks({ secret: 'wrong' }).verify(got.body, got.signature)).toBe(false);
    expect(gh.deliveries.at(-1)).toMatchObject({ guid: result.deliveryId, event: 'push', statusCode: 202, status: 'OK', redelivery: false });
  });

  it('delivers to a URL and reports failures the way GitHub logs them', async () => {
    const bodies: string[] = [];
    const server: Server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        bodies.push(data);
        res.writeHead(503).end('down');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const res = await signAndDeliver(url, { event: 'ping', payload: { zen: 'Keep it simple.' }, secret: SECRET, deliveryId: 'fixed-guid', state: gh.state });
      expect(res).toMatchObject({ deliveryId: 'fixed-guid', status: 503, body: 'down' });
      expect(JSON.parse(bodies[0]!)).toEqual({ zen: 'Keep it simple.' });
      expect(gh.deliveries.at(-1)).toMatchObject({ guid: 'fixed-guid', status: 'Invalid HTTP Response: 503', statusCode: 503 });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    const unreachable = await signAndDeliver(url, { event: 'ping', payload: {}, secret: SECRET, state: gh.state });
    expect(unreachable.status).toBe(0);
    expect(gh.deliveries.at(-1)!.status).toMatch(/^We couldn't deliver this payload/);
  });
});

describe('event builders', () => {
  it('fill repository, installation and sender from the state, and match GitHub’s webhook schemas', () => {
    const repoId = gh.repo('octo-org', 'gadgets').id;
    const events = [
      gh.events.pushEvent('octo-org/gadgets', { ref: 'refs/heads/main', after: MAIN_SHA, before: 'a'.repeat(40) }),
      gh.events.pullRequestEvent('octo-org/gadgets', 'opened', 12),
      gh.events.pullRequestEvent('octo-org/gadgets', 'synchronize', 12, { before: 'a'.repeat(40) }),
      gh.events.issueCommentEvent('octo-org/gadgets', { pr: 12, body: '/arm64 run', user: 'bob', authorAssociation: 'MEMBER' }),
      gh.events.installationEvent('created', { installationId: INSTALLATION }),
      gh.events.installationRepositoriesEvent('removed', { installationId: INSTALLATION, repos: ['octo-org/gadgets'] }),
      gh.events.mergeGroupEvent('octo-org/gadgets', { headSha: 'b'.repeat(40), pr: 12 }),
    ];
    for (const ev of events) {
      expect(validateWebhookPayload(ev.event, ev.payload)).toEqual({ ok: true });
      if (ev.event !== 'installation' && ev.event !== 'installation_repositories') {
        expect(ev.payload.repository).toMatchObject({ id: repoId, name: 'gadgets', full_name: 'octo-org/gadgets', owner: { login: 'octo-org' }, private: false, default_branch: 'main' });
      }
    }
    const [push, opened, sync, comment, installation, removed, mergeGroup] = events.map((e) => e.payload) as Record<string, any>[] as [any, any, any, any, any, any, any];
    expect(mergeGroup).toMatchObject({
      action: 'checks_requested',
      merge_group: { head_sha: 'b'.repeat(40), base_ref: 'refs/heads/main', head_commit: { id: 'b'.repeat(40) } },
    });
    expect(mergeGroup.merge_group.head_ref).toMatch(/^refs\/heads\/gh-readonly-queue\/main\/pr-12-[0-9a-f]{40}$/);
    expect(push).toMatchObject({ ref: 'refs/heads/main', after: MAIN_SHA, before: 'a'.repeat(40), deleted: false, installation: { id: INSTALLATION } });
    expect(opened).toMatchObject({ action: 'opened', number: 12, pull_request: { head: { sha: 'f'.repeat(40), ref: 'feature' } } });
    expect(sync).toMatchObject({ action: 'synchronize', before: 'a'.repeat(40), after: 'f'.repeat(40) });
    expect(comment).toMatchObject({
      action: 'created',
      issue: { number: 12, pull_request: { url: `${gh.url}/repos/octo-org/gadgets/pulls/12` } },
      comment: { body: '/arm64 run', user: { login: 'bob', type: 'User' }, author_association: 'MEMBER' },
      sender: { login: 'bob' },
    });
    expect(installation).toMatchObject({ action: 'created', installation: { id: INSTALLATION, app_id: APP_ID, account: { login: 'octo-org' } } });
    expect(installation.repositories).toEqual([expect.objectContaining({ full_name: 'octo-org/gadgets' })]);
    expect(removed.repositories_removed).toEqual([expect.objectContaining({ full_name: 'octo-org/gadgets' })]);
  });
});

describe('playing workflow runs', () => {
  async function dispatch(dispatchId: string): Promise<number> {
    const octokit = await installationOctokit();
    const res = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      owner: 'octo-org',
      repo: 'gadgets',
      workflow_id: 'arm64-ci.yml',
      ref: 'main',
      inputs: { ...dispatchInputs, dispatch_id: dispatchId },
      return_run_details: true,
    });
    return (res.data as unknown as { workflow_run_id: number }).workflow_run_id;
  }

  it('delivers workflow_run and workflow_job events in GitHub’s order, each matching its schema', async () => {
    const runId = await dispatch('PLAY');
    await gh.play(runId, {
      jobs: [
        { name: 'test (3.10)', conclusion: 'success' },
        { name: 'test (3.11)', runnerName: 'arm-box', conclusion: 'failure' },
      ],
      artifacts: [{ name: 'smoke-test-results', files: { 'a.xml': '<testsuite/>' } }],
    });
    const sequence = received.map((r) => `${r.event}.${r.payload.action}${r.event === 'workflow_job' ? `:${r.payload.workflow_job.name}` : ''}`);
    expect(sequence).toEqual([
      'workflow_run.requested',
      'workflow_job.queued:test (3.10)',
      'workflow_job.queued:test (3.11)',
      'workflow_run.in_progress',
      'workflow_job.in_progress:test (3.10)',
      'workflow_job.completed:test (3.10)',
      'workflow_job.in_progress:test (3.11)',
      'workflow_job.completed:test (3.11)',
      'workflow_run.completed',
    ]);
    for (const r of received) expect(validateWebhookPayload(r.event, r.payload)).toEqual({ ok: true });
    const queued = received[1]!.payload.workflow_job;
    expect(queued).toMatchObject({ run_id: runId, status: 'queued', runner_name: null, labels: ['self-hosted', 'arm64'], head_sha: MAIN_SHA });
    expect(received[6]!.payload.workflow_job.runner_name).toBe('arm-box');
    expect(received[8]!.payload.workflow_run).toMatchObject({
      id: runId,
      display_title: 'arm64 CI PLAY',
      status: 'completed',
      conclusion: 'failure',
      head_sha: MAIN_SHA,
      run_attempt: 1,
      event: 'workflow_dispatch',
    });
    expect(received[8]!.payload.installation.id).toBe(INSTALLATION);
    expect(gh.workflowRuns('octo-org', 'gadgets').find((r) => r.id === runId)!.artifacts.map((a) => a.name)).toEqual([
      'smoke-test-results',
    ]);
  });

  it('reports a cancellation through workflow_job and workflow_run completed events', async () => {
    const runId = await dispatch('CANCEL');
    await gh.requestRun(runId);
    const job = await gh.queueJob(runId, { name: 'test' });
    await gh.startRun(runId);
    await gh.startJob(job.id);
    received = [];
    const octokit = await installationOctokit();
    await octokit.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', { owner: 'octo-org', repo: 'gadgets', run_id: runId });
    await gh.settled();
    expect(received.map((r) => `${r.event}.${r.payload.action}:${(r.payload.workflow_job ?? r.payload.workflow_run).conclusion}`)).toEqual([
      'workflow_job.completed:cancelled',
      'workflow_run.completed:cancelled',
    ]);
  });

  it('auto-plays dispatched runs when configured', async () => {
    const auto = await startGitHubStandIn({
      app: { id: APP_ID },
      webhook: { target: capture, secret: SECRET },
      autoPlay: { script: (run) => ({ jobs: [{ name: `job for ${run.displayTitle}`, conclusion: 'success' }] }) },
      repos: [
        {
          owner: 'octo-org',
          name: 'gadgets',
          installationId: INSTALLATION,
          workflows: [{ file: 'arm64-ci.yml', runName: 'auto ${{ inputs.dispatch_id }}', inputs: { dispatch_id: {} } }],
        },
      ],
    });
    try {
      const app = new App({ appId: APP_ID, privateKey: privatePem, Octokit: Octokit.defaults({ baseUrl: auto.url }) });
      const octokit = (await app.getInstallationOctokit(INSTALLATION)) as unknown as Octokit;
      await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
        owner: 'octo-org',
        repo: 'gadgets',
        workflow_id: 'arm64-ci.yml',
        ref: 'main',
        inputs: { dispatch_id: 'A1' },
      });
      await auto.settled();
      expect(auto.workflowRuns('octo-org', 'gadgets')[0]).toMatchObject({ displayTitle: 'auto A1', status: 'completed', conclusion: 'success' });
      expect(received.at(-1)!.payload).toMatchObject({ action: 'completed', workflow_run: { display_title: 'auto A1' } });
      expect(received.some((r) => r.payload.workflow_job?.name === 'job for auto A1')).toBe(true);
    } finally {
      await auto.close();
    }
  });
});

describe('delivery log', () => {
  it('pages through GET /app/hook/deliveries with cursors, newest first, and filters by status', async () => {
    const fresh = await startGitHubStandIn({
      app: { id: APP_ID },
      webhook: { target: capture, secret: SECRET },
      repos: [{ owner: 'octo-org', name: 'gadgets', installationId: INSTALLATION }],
    });
    try {
      const guids: string[] = [];
      for (let i = 0; i < 5; i++) {
        answerStatus = i === 3 ? 503 : 202;
        guids.push((await fresh.deliver(fresh.events.pushEvent('octo-org/gadgets', { ref: 'main', after: String(i).repeat(40) }))).deliveryId);
      }
      const app = new App({ appId: APP_ID, privateKey: privatePem, Octokit: Octokit.defaults({ baseUrl: fresh.url }) });
      const seen: string[] = [];
      let next: string | undefined = undefined;
      let pages = 0;
      do {
        const res: Awaited<ReturnType<typeof app.octokit.request<'GET /app/hook/deliveries'>>> = await app.octokit.request(
          'GET /app/hook/deliveries',
          { per_page: 2, ...(next ? { cursor: next } : {}) },
        );
        expect(validateResponse({ method: 'GET', path: '/app/hook/deliveries', status: 200, body: res.data })).toEqual({ ok: true });
        seen.push(...res.data.map((d) => d.guid));
        next = /[?&]cursor=([^&>]+)[^>]*>; rel="next"/.exec(res.headers.link ?? '')?.[1];
        pages++;
      } while (next);
      expect(pages).toBe(3);
      expect(seen).toEqual([...guids].reverse());

      const failed = await app.octokit.request('GET /app/hook/deliveries', { status: 'failure' });
      expect(failed.data).toMatchObject([{ guid: guids[3], status_code: 503, status: 'Invalid HTTP Response: 503', event: 'push', redelivery: false, installation_id: INSTALLATION }]);
    } finally {
      await fresh.close();
    }
  });

  it('redelivers a delivery with the same guid and bytes, flagged as a redelivery', async () => {
    answerStatus = 500;
    const first = await gh.deliver(gh.events.pushEvent('octo-org/gadgets', { ref: 'main', after: MAIN_SHA }));
    answerStatus = 202;
    const octokit = await appOctokit();
    const res = await octokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: first.id });
    expect(res.status).toBe(202);
    await gh.settled();
    expect(received).toHaveLength(2);
    expect(received[1]!.delivery).toBe(first.deliveryId);
    expect(received[1]!.body).toBe(received[0]!.body);
    expect(await new Webhooks({ secret: SECRET }).verify(received[1]!.body, received[1]!.signature)).toBe(true);
    expect(gh.deliveries.at(-1)).toMatchObject({ guid: first.deliveryId, redelivery: true, status: 'OK' });
    await expect(octokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: 1 })).rejects.toMatchObject({ status: 404 });
  });
});
