import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PlayScript, SeedRepo, SeedWorkflow, SeedWorkflowInput, StandInOptions, WorkflowRunRecord } from '@arm64-ci/github-sim';

/**
 * The sandbox world `npm start` (without APP_ID) and `npm run demo` play in: one App, one demo
 * repository with the README's example config and workflow, one online arm64 runner.
 */
const SANDBOX_APP_ID = 1;
const SANDBOX_INSTALLATION_ID = 1;
export const DEMO_REPO = { owner: 'octo-org', name: 'arm64-demo' } as const;
const DEMO_RUNNER = 'dgx-spark-01';
const DEMO_LABELS = ['self-hosted', 'arm64', 'dgx'];

const EXAMPLE_WORKFLOW = readFileSync(fileURLToPath(new URL('../../examples/arm64-ci.yml', import.meta.url)), 'utf8');

const DEMO_CONFIG = `# arm64 CI coordinator settings (see the README's config reference)
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

/**
 * The coordinator's workflow as the stand-in knows it: `arm64-ci.yml`, declaring the inputs every
 * dispatch sends (core/dispatch-inputs.ts RESERVED_INPUTS) and any `extra` ones, its `run-name`
 * carrying the dispatch id. The sandbox, the test world and the bench all seed this one.
 */
export function coordinatorWorkflow(opts: { runName?: string; extra?: Record<string, SeedWorkflowInput> } = {}): SeedWorkflow {
  return {
    file: 'arm64-ci.yml',
    name: 'arm64 CI',
    runName: opts.runName ?? 'arm64 CI ${{ inputs.dispatch_id }}',
    inputs: {
      sha: { required: true },
      pr: { required: false, default: '' },
      runner_labels: { required: true },
      dispatch_id: { required: true },
      ...opts.extra,
    },
  };
}

function demoRepo(): SeedRepo {
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
      coordinatorWorkflow({
        runName: 'arm64 CI ${{ inputs.dispatch_id }} (${{ inputs.sha }})',
        extra: { 'python-versions': { required: false, default: '["3.10","3.11"]' } },
      }),
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

function demoScript(): PlayScript {
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

// ---------------------------------------------------------------------------------------------
// The three-target repository (`npm run demo -- --targets`): two arm64 pools and an x86 baseline.

export const TARGETS_REPO = { owner: 'octo-org', name: 'arm64-targets' } as const;

/** The README's three-target example ("Several targets"), with the demo's inputs. */
export const TARGETS_CONFIG = `# arm64 CI coordinator settings: two arm64 pools measured against x86
workflow: arm64-ci.yml
inputs:
  python-versions: '["3.10","3.11"]'
targets:
  dgx:      { runner_labels: [self-hosted, arm64, dgx] }
  graviton: { runner_labels: [self-hosted, arm64, graviton], smoke_tests: { min_pass_rate: 0.8 } }
  x86:      { runner_labels: [ubuntu-24.04], baseline: true }
`;

function targetsRepo(): SeedRepo {
  const base = demoRepo();
  return {
    ...base,
    ...TARGETS_REPO,
    files: { ...base.files, '.github/arm64-ci.yml': TARGETS_CONFIG, 'README.md': '# arm64-targets\n' },
    runners: [
      { name: DEMO_RUNNER, labels: DEMO_LABELS, status: 'online', busy: false, os: 'Linux' },
      { name: 'graviton-01', labels: ['self-hosted', 'arm64', 'graviton'], status: 'online', busy: false, os: 'Linux' },
    ],
  };
}

/**
 * How each target's run plays: the arm64 pools fail the test that is missing on aarch64 and take
 * longer per test than x86 (dgx 2×, graviton 3×); x86 passes everything. Each uploads a wheel.
 */
function targetsScript(run: WorkflowRunRecord): PlayScript {
  const labels = String(run.inputs.runner_labels ?? '');
  const pool = labels.includes('graviton') ? 'graviton' : labels.includes('dgx') ? 'dgx' : 'x86';
  const runner = pool === 'graviton' ? 'graviton-01' : pool === 'dgx' ? DEMO_RUNNER : 'GitHub Actions 2';
  const scale = pool === 'graviton' ? 3 : pool === 'dgx' ? 2 : 1;
  const junit = (py: string) => {
    const xml = smokeJUnit(py).replace(/time="([\d.]+)"/g, (_m, t: string) => `time="${(Number(t) * 10 * scale).toFixed(2)}"`);
    return pool === 'x86' ? xml.replace(/>\s*<failure[\s\S]*?<\/failure>\s*<\/testcase>/, '/>') : xml;
  };
  // Incompressible, so the zip is about the wheel's size; the aarch64 build is the larger one.
  const wheel = randomBytes(pool === 'x86' ? 60_000 : 72_000).toString('base64');
  return {
    jobs: ['3.10', '3.11'].map((py) => ({ name: `test (${py})`, runnerName: runner, conclusion: 'success' as const })),
    conclusion: 'success',
    artifacts: [
      { name: 'smoke-test-results', files: { 'smoke-py3.10.xml': junit('3.10'), 'smoke-py3.11.xml': junit('3.11') } },
      { name: 'wheel', files: { [`demo-1.0-cp311-linux_${pool === 'x86' ? 'x86_64' : 'aarch64'}.whl`]: wheel } },
    ],
  };
}

export function sandboxStandInOptions(publicKey: string, webhookSecret: string, delayMs = 300): StandInOptions {
  const targets = `${TARGETS_REPO.owner}/${TARGETS_REPO.name}`.toLowerCase();
  return {
    app: { id: SANDBOX_APP_ID, slug: 'arm64-ci-sandbox', name: 'arm64 CI (sandbox)', publicKeyPem: publicKey },
    repos: [demoRepo(), targetsRepo()],
    webhook: { secret: webhookSecret },
    autoPlay: { script: (run) => (run.repo.toLowerCase() === targets ? targetsScript(run) : demoScript()), delayMs },
  };
}
