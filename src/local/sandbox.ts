import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PlayScript, SeedRepo, StandInOptions } from '@arm64-ci/github-sim';

/**
 * The sandbox world `npm start` (without APP_ID) and `npm run demo` play in: one App, one demo
 * repository with the README's example config and workflow, one online arm64 runner.
 */
export const SANDBOX_APP_ID = 1;
export const SANDBOX_INSTALLATION_ID = 1;
export const DEMO_REPO = { owner: 'octo-org', name: 'arm64-demo' } as const;
export const DEMO_RUNNER = 'dgx-spark-01';
export const DEMO_LABELS = ['self-hosted', 'arm64', 'dgx'];

const EXAMPLE_WORKFLOW = readFileSync(fileURLToPath(new URL('../../examples/arm64-ci.yml', import.meta.url)), 'utf8');

export const DEMO_CONFIG = `# arm64 CI coordinator settings (see the README's config reference)
workflow: arm64-ci.yml
runner_labels: [self-hosted, arm64, dgx]
check_name: arm64 CI
triggers:
  push: [main, "release/*"]
  pull_request: true
smoke_tests:
  artifact: smoke-test-results
  min_pass_rate: 0.8
inputs:
  python-versions: '["3.10","3.11"]'
`;

export function demoRepo(): SeedRepo {
  return {
    ...DEMO_REPO,
    installationId: SANDBOX_INSTALLATION_ID,
    defaultBranch: 'main',
    files: {
      '.github/arm64-ci.yml': DEMO_CONFIG,
      '.github/workflows/arm64-ci.yml': EXAMPLE_WORKFLOW,
      'README.md': '# arm64-demo\n',
    },
    workflows: [
      {
        file: 'arm64-ci.yml',
        name: 'arm64 CI',
        runName: 'arm64 CI ${{ inputs.dispatch_id }} (${{ inputs.sha }})',
        inputs: {
          sha: { required: true },
          pr: { required: false, default: '' },
          runner_labels: { required: true },
          dispatch_id: { required: true },
          'python-versions': { required: false, default: '["3.10","3.11"]' },
        },
      },
    ],
    collaborators: { 'octo-maintainer': 'admin', 'octo-reader': 'read' },
    runners: [{ name: DEMO_RUNNER, labels: DEMO_LABELS, status: 'online', busy: false, os: 'Linux' }],
  };
}

/** The seed's smoke tests: five pass, test_basic_api_availability fails (5/6, 83 %). */
export function smokeJUnit(python: string): string {
  const ok = ['test_python_version', 'test_architecture_detection', 'test_package_import', 'test_package_version', 'test_core_modules_importable'];
  const cases = ok
    .map((n, i) => `    <testcase classname="tests.test_arm64_basic" name="${n}" file="tests/test_arm64_basic.py" line="${10 + i * 8}" time="0.0${i + 1}"/>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests">
  <testsuite name="pytest" errors="0" failures="1" skipped="0" tests="6" time="0.42" hostname="${DEMO_RUNNER}">
${cases}
    <testcase classname="tests.test_arm64_basic" name="test_basic_api_availability" file="tests/test_arm64_basic.py" line="52" time="0.11">
      <failure message="AssertionError: ipfs_kit_py.api is not available on aarch64 (python ${python})">assert hasattr(ipfs_kit_py, "api")</failure>
    </testcase>
  </testsuite>
</testsuites>
`;
}

export function demoScript(): PlayScript {
  return {
    jobs: ['3.10', '3.11'].map((py) => ({ name: `test (${py})`, runnerName: DEMO_RUNNER, labels: DEMO_LABELS, conclusion: 'success' as const })),
    conclusion: 'success',
    artifacts: [
      {
        name: 'smoke-test-results',
        files: { 'smoke-py3.10.xml': smokeJUnit('3.10'), 'smoke-py3.11.xml': smokeJUnit('3.11') },
      },
    ],
  };
}

export function sandboxStandInOptions(publicKey: string, webhookSecret: string, delayMs = 300): StandInOptions {
  return {
    app: { id: SANDBOX_APP_ID, slug: 'arm64-ci-sandbox', name: 'arm64 CI (sandbox)', publicKeyPem: publicKey },
    repos: [demoRepo()],
    webhook: { secret: webhookSecret },
    autoPlay: { script: demoScript(), delayMs },
  };
}
