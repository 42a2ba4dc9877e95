/** The test world's fixed parts: the App, its secret and key, a seeded repository, a clock. */
import { generateAppKeys, type SeedRepo } from '@arm64-ci/github-sim';
import { coordinatorWorkflow } from '../../src/local/sandbox';

export const WEBHOOK_SECRET = 'test-webhook-secret';
export const APP_ID = 4242;
export const PUBLIC_URL = 'https://arm64-ci.example.test';

let keys: ReturnType<typeof generateAppKeys> | null = null;
/** RSA key generation is slow: one key pair per test process. */
export const testKeys = () => (keys ??= generateAppKeys());

export const CONFIG = `workflow: arm64-ci.yml
runner_labels: [self-hosted, arm64, dgx]
triggers:
  push: [main, "release/*"]
inputs:
  python-versions: '["3.10","3.11"]'
`;

export function seedRepo(over: Partial<SeedRepo> = {}): SeedRepo {
  return {
    owner: 'octo-org',
    name: 'widget',
    installationId: 7,
    defaultBranch: 'main',
    files: { '.github/arm64-ci.yml': CONFIG },
    workflows: [coordinatorWorkflow({ extra: { 'python-versions': { required: false } } })],
    collaborators: { maintainer: 'write', reader: 'read', admin: 'admin' },
    runners: [{ name: 'dgx-01', labels: ['self-hosted', 'arm64', 'dgx'], status: 'online' }],
    ...over,
  };
}

/** A clock tests move by hand. */
export function testClock(start = new Date('2026-11-25T12:00:00Z')) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
    set: (d: Date) => {
      t = d.getTime();
    },
  };
}
