import { renderConfigProblems, type ConfigProblem } from '../core/config/problems';
import { createCheckRun, findCheckRun } from '../github/checks';
import type { GitHub } from '../github/client';
import { claim } from '../store/deliveries';
import type { RepoRef, WorkerDeps } from './deps';

/** Check name used when the config cannot be read, so it cannot name its own. */
const DEFAULT_CHECK_NAME = 'arm64 CI';

/** A broken .github/arm64-ci.yml becomes a failed check run on the commit, saying which line is wrong. */
export async function reportInvalidConfig(
  deps: WorkerDeps,
  gh: GitHub,
  a: { repo: RepoRef; sha: string; problems: ConfigProblem[]; deliveryId: string },
): Promise<void> {
  const externalId = `config-error:${a.deliveryId}`;
  const first = await claim(deps.store, {
    deliveryId: a.deliveryId,
    key: `config-error:${a.sha}`,
    value: 'reported',
    now: deps.now(),
  });
  // A retry of this delivery may find the check run already made — or not, if the first attempt
  // died between the claim and GitHub's answer: look before creating, so it is made exactly once.
  if (!first.first) {
    const existing = await findCheckRun(gh, {
      owner: a.repo.owner,
      repo: a.repo.name,
      sha: a.sha,
      name: DEFAULT_CHECK_NAME,
      externalId,
    });
    if (existing) return;
  }
  const now = deps.now().toISOString();
  await createCheckRun(gh, {
    owner: a.repo.owner,
    repo: a.repo.name,
    name: DEFAULT_CHECK_NAME,
    head_sha: a.sha,
    external_id: externalId,
    details_url: `${deps.publicUrl}/repos/${a.repo.fullName}`,
    status: 'completed',
    conclusion: 'failure',
    started_at: now,
    completed_at: now,
    output: renderConfigProblems(a.problems),
  });
  deps.log.info('invalid config reported', { repo: a.repo.fullName, sha: a.sha, problems: a.problems.length });
}
