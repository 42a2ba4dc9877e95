/**
 * Runs for the dashboard tests, played through the whole loop (webhook → dispatch → workflow run
 * with matrix jobs → smoke artifact → check run), so the pages read what the worker really stored.
 */
import { createHash } from 'node:crypto';
import { smokeJUnit } from '../../src/local/sandbox';
import { CONFIG, seedRepo, type Harness } from '../support/harness';
import type { SeedRepo } from '@arm64-ci/github-sim';

/** A distinct, realistic commit id per n. */
export const sha = (n: number) => createHash('sha1').update(`commit ${n}`).digest('hex');

/** widget and gizmo: public; gadget: private (its runs must never show without its token). */
export function dashboardRepos(): SeedRepo[] {
  return [
    seedRepo(),
    seedRepo({ name: 'gizmo' }),
    seedRepo({
      name: 'gadget',
      private: true,
      files: { '.github/arm64-ci.yml': `${CONFIG}smoke_tests:\n  min_pass_rate: 0.5\n` },
      runners: [{ name: 'secret-runner-9', labels: ['self-hosted', 'arm64', 'dgx'], status: 'online' }],
    }),
  ];
}

/** The seed's six smoke tests; `allPass` fixes the one that fails; `rename` swaps test names. */
export function smokeXml(opts: { allPass?: boolean; python?: string; rename?: Record<string, string> } = {}): string {
  let xml = smokeJUnit(opts.python ?? '3.10');
  if (opts.allPass) xml = xml.replace(/>\s*<failure[\s\S]*?<\/failure>\s*<\/testcase>/, '/>');
  for (const [from, to] of Object.entries(opts.rename ?? {})) xml = xml.split(`name="${from}"`).join(`name="${to}"`);
  return xml;
}

export interface PlayOpts {
  repo?: string;
  ref?: string;
  /** null: no artifact. */
  files?: Record<string, string> | null;
  conclusion?: 'success' | 'failure';
  jobs?: string[];
  runnerName?: string;
  /** Milliseconds each job waits for a runner (moves the harness clock). */
  queueMs?: number;
  /** Milliseconds each job runs. */
  runMs?: number;
  /** Leave the run in progress (jobs started, nothing completed). */
  unfinished?: boolean;
}

/** Pushes commit `n` and plays its workflow run; returns the dispatch id (the check run's external id). */
export async function pushAndPlay(h: Harness, n: number, opts: PlayOpts = {}): Promise<{ dispatchId: string; runId: number }> {
  const name = opts.repo ?? 'widget';
  await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', name), { ref: opts.ref ?? 'refs/heads/main', after: sha(n) }));
  const dispatch = h.gh.dispatches.find((x) => x.inputs.sha === sha(n) && x.repo === `octo-org/${name}`);
  if (!dispatch) throw new Error(`no dispatch for ${name}@${sha(n)}`);
  const runId = dispatch.runId;
  await h.gh.startRun(runId);
  const jobs = [];
  for (const jobName of opts.jobs ?? ['test (3.10)', 'test (3.11)']) {
    jobs.push(await h.gh.queueJob(runId, { name: jobName, labels: ['self-hosted', 'arm64', 'dgx'] }));
  }
  h.clock.advance(opts.queueMs ?? 45_000);
  for (const j of jobs) await h.gh.startJob(j.id, { runnerName: opts.runnerName ?? 'dgx-01' });
  if (!opts.unfinished) {
    h.clock.advance(opts.runMs ?? 95_000);
    for (const j of jobs) await h.gh.completeJob(j.id, opts.conclusion ?? 'success');
    if (opts.files !== null) h.gh.addArtifact(runId, { name: 'smoke-test-results', files: opts.files ?? { 'a.xml': smokeXml() } });
    await h.gh.completeRun(runId, opts.conclusion ?? 'success');
  }
  await h.settle();
  const check = h.gh.checkRuns('octo-org', name).find((c) => c.headSha === sha(n));
  if (!check?.externalId) throw new Error(`no check run for ${name}@${sha(n)}`);
  h.clock.advance(60_000);
  return { dispatchId: check.externalId, runId };
}
