/**
 * `npm run doctor` against the stand-in: a healthy setup is all ✔; a setup missing a permission,
 * an event, a workflow input and a runner label reports each, with its fix.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterEach, expect, it } from 'vitest';
import { startGitHubStandIn, type GitHubStandIn, type SeedApp } from '@arm64-ci/github-sim';
import { renderChecks } from '../src/core/doctor';
import { runDoctor } from '../src/local/doctor/run';
import { APP_ID, seedRepo, testKeys } from './support/world';

const manifest = parse(readFileSync('app.yml', 'utf8')) as { default_permissions: Record<string, string>; default_events: string[] };
const HOOK = 'https://smee.example.test/channel';

const workflow = (inputs: string[], runName = 'arm64 CI ${{ inputs.dispatch_id }}') => `name: arm64 CI
run-name: ${runName}
on:
  workflow_dispatch:
    inputs:
${inputs.map((i) => `      ${i}:\n        required: false`).join('\n')}
jobs:
  test:
    runs-on: \${{ fromJSON(inputs.runner_labels) }}
    steps:
      - run: echo ok
`;

let gh: GitHubStandIn;
afterEach(() => gh?.close());

async function world(over: { app?: Partial<SeedApp>; inputs?: string[]; runnerLabels?: string[] } = {}) {
  const repo = seedRepo();
  gh = await startGitHubStandIn({
    app: {
      id: APP_ID,
      publicKeyPem: testKeys().publicKey,
      permissions: manifest.default_permissions,
      events: manifest.default_events,
      hook: { url: HOOK, secret: true },
      ...over.app,
    },
    repos: [
      {
        ...repo,
        files: { ...repo.files, '.github/workflows/arm64-ci.yml': workflow(over.inputs ?? ['sha', 'pr', 'runner_labels', 'dispatch_id', 'python-versions']) },
        runners: [{ name: 'dgx-01', labels: over.runnerLabels ?? ['self-hosted', 'arm64', 'dgx'], status: 'online' }],
      },
    ],
  });
  return runDoctor({ appId: String(APP_ID), privateKey: testKeys().privateKey, webhookSecret: 'secret', githubApiUrl: gh.url, expectedWebhookUrl: HOOK });
}

it('passes every check on a healthy setup', async () => {
  const checks = await world();
  expect(checks.filter((c) => !c.ok)).toEqual([]);
  expect(renderChecks(checks).split('\n')).toEqual([
    `✔ the private key belongs to App ${APP_ID} (arm64-ci)`,
    '✔ a webhook secret is set, here and on GitHub',
    `✔ GitHub delivers to ${HOOK}`,
    `✔ the App has every permission app.yml asks for (${Object.keys(manifest.default_permissions).length})`,
    `✔ the App subscribes to every event app.yml lists (${manifest.default_events.length})`,
    '✔ octo-org/widget: .github/arm64-ci.yml is valid',
    '✔ octo-org/widget: .github/workflows/arm64-ci.yml declares sha, pr, runner_labels, dispatch_id and a run-name with dispatch_id',
    '✔ octo-org/widget: runner dgx-01 carries self-hosted, arm64, dgx (target default)',
  ]);
  expect(gh.violations).toEqual([]);
});

it('reports a missing permission, event, workflow input and runner label, each with its fix', async () => {
  const { checks: _dropped, ...permissions } = manifest.default_permissions;
  const checks = await world({
    app: { permissions: { ...permissions, issues: 'read' }, events: manifest.default_events.filter((e) => e !== 'workflow_job') },
    inputs: ['sha', 'pr', 'runner_labels'],
    runnerLabels: ['self-hosted', 'arm64'],
  });
  const failed = renderChecks(checks.filter((c) => !c.ok)).split('\n');
  expect(failed).toEqual([
    expect.stringMatching(/^✘ permission checks: the App has none, needs write — fix: App settings .*→ checks: write/),
    expect.stringMatching(/^✘ permission issues: the App has read, needs write — fix: /),
    expect.stringMatching(/^✘ event workflow_job: the App does not subscribe to it — fix: .*Subscribe to events → workflow_job$/),
    expect.stringMatching(/^✘ octo-org\/widget: \.github\/workflows\/arm64-ci\.yml does not declare the input dispatch_id — fix: copy the example workflow/),
    expect.stringMatching(/^✘ octo-org\/widget: no runner carries self-hosted, arm64, dgx \(target default\); closest: dgx-01 lacks dgx — fix: add the labels/),
  ]);
});

it('stops at a key that is not the App\'s, saying how to fix it', async () => {
  gh = await startGitHubStandIn({ app: { id: APP_ID, publicKeyPem: testKeys().publicKey } });
  const other = (await import('@arm64-ci/github-sim')).generateAppKeys();
  const checks = await runDoctor({ appId: String(APP_ID), privateKey: other.privateKey, webhookSecret: 's', githubApiUrl: gh.url, expectedWebhookUrl: null });
  expect(renderChecks(checks)).toMatch(/^✘ the private key does not sign for App 4242 \(GitHub: 401 A JSON web token could not be decoded\) — fix: check APP_ID/);
});
