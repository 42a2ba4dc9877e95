// The GitHub stand-in in its own process, so its request validation (every request is checked
// against GitHub's OpenAPI description) is not counted as the worker's CPU. Seeds BENCH_REPOS
// repositories and builds the push events the worker burst replays.
import { fakeSha, startGitHubStandIn, type SeedRepo } from '@arm64-ci/github-sim';
import { coordinatorWorkflow } from '../../src/local/sandbox';

const repos = Number(process.env.BENCH_REPOS ?? 50);
const installations = Number(process.env.BENCH_INSTALLATIONS ?? 10);
const publicKeyPem = process.env.BENCH_PUBLIC_KEY!;

export const CONFIG = `workflow: arm64-ci.yml
runner_labels: [self-hosted, arm64, dgx]
triggers:
  push: [main]
`;

const seeds: SeedRepo[] = Array.from({ length: repos }, (_, i) => ({
  owner: `bench-org-${i % installations}`,
  name: `repo-${i}`,
  installationId: 100 + (i % installations),
  defaultBranch: 'main',
  files: { '.github/arm64-ci.yml': CONFIG },
  workflows: [coordinatorWorkflow()],
  runners: [{ name: 'dgx-01', labels: ['self-hosted', 'arm64', 'dgx'], status: 'online' }],
}));

const gh = await startGitHubStandIn({ app: { id: 4242, publicKeyPem }, repos: seeds });

/** `perRepo` successive pushes to main of every repository, interleaved across repositories. */
function pushes(perRepo: number) {
  const out: { event: string; payload: unknown }[] = [];
  const head = seeds.map((s) => fakeSha(`${s.owner}/${s.name}:initial`));
  for (let k = 0; k < perRepo; k++) {
    seeds.forEach((s, i) => {
      const after = fakeSha(`${s.owner}/${s.name}:push:${k}`);
      gh.setBranch(s.owner, s.name, 'main', after);
      out.push(gh.events.pushEvent(`${s.owner}/${s.name}`, { ref: 'main', before: head[i]!, after }));
      head[i] = after;
    });
  }
  return out;
}

process.on('message', (m: { type: string; perRepo?: number }) => {
  if (m.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
  if (m.type === 'events') process.send!({ type: 'events', events: pushes(m.perRepo ?? 10) });
  if (m.type === 'requests')
    process.send!({
      type: 'requests',
      requests: gh.requests.map((r) => ({ method: r.method, path: r.path, status: r.status, operationId: r.operationId ?? null })),
      violations: gh.violations.length,
      unimplemented: gh.unimplemented.length,
    });
  if (m.type === 'reset') {
    gh.requests.length = 0;
    process.send!({ type: 'reset' });
  }
  if (m.type === 'close') void gh.close().then(() => process.exit(0));
});
process.send!({ type: 'ready', url: gh.url });
