/**
 * Running a dispatch again: `/arm64 retest`, GitHub's "Re-run" buttons (`check_run.rerequested`,
 * `check_suite.rerequested`) and our own "Re-run arm64" action.
 *
 * A re-run is a NEW dispatch of the same commit with the same input values, not GitHub's
 * `POST …/runs/{id}/rerun` (or `rerun-failed-jobs`, which is what Prow's `/retest` does). Why:
 * - GitHub's re-run replays the old run's workflow file and inputs and is refused for runs older
 *   than 30 days; a new dispatch uses the current config and workflow on the default branch.
 * - GitHub asks an App to answer `rerequested` with a NEW check run; a new dispatch creates one
 *   through the same idempotent path as every other run (claim → check run → dispatch), with its
 *   own dispatch id in the run-name, so matching workflow runs back stays exact.
 * - It works the same for a run that was never dispatched (refused, cancelled before it started).
 * The cost: passing matrix legs run again (our workflow is one run per dispatch, usually short).
 */
import type { RepoConfig } from '../core/config/schema';
import { configForTarget, hasNamedTargets, targetsOf } from '../core/config/targets';
import type { GitHub } from '../github/client';
import { getPull } from '../github/pulls';
import type { DispatchItem, Trigger } from '../store/dispatches';
import { approvalOf, holdReason, pullTrust } from './approval';
import type { RepoRef, WorkerDeps } from './deps';
import { startTargets } from './start-run';

/** The input values a dispatch ran with, for the inputs the config still declares. */
export function overridesFrom(source: DispatchItem, config: RepoConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(config.inputs)) {
    const v = source.inputs[key];
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

type RerunResult =
  | { kind: 'started'; dispatch: DispatchItem }
  /** The commit is an untrusted fork's and nobody approved it: nothing was dispatched. */
  | { kind: 'held'; dispatch: DispatchItem | null; reason: string }
  /** The run's target is no longer in the config: nothing was dispatched. */
  | { kind: 'gone'; dispatch: null; reason: string };

/**
 * Re-runs `source` for `actor`. A pull request's commit from an untrusted fork stays held unless
 * it was approved with `/ok-to-test`: a re-run is never a way around the trust gate.
 */
export async function rerunDispatch(
  deps: WorkerDeps,
  gh: GitHub,
  a: {
    repo: RepoRef;
    config: RepoConfig;
    source: DispatchItem;
    actor: string | null;
    deliveryId: string;
    claimKey: string;
    via: string;
    trigger?: Trigger;
  },
): Promise<RerunResult> {
  const { source } = a;
  // That target only (a Re-run button belongs to one check run); the config's current settings for it.
  const named = hasNamedTargets(a.config);
  const target = named ? targetsOf(a.config).find((t) => t.name === (source.target ?? '')) : targetsOf(a.config)[0];
  if (!target || (source.target !== undefined && !named))
    return { kind: 'gone', dispatch: null, reason: `target ${source.target ?? 'default'} is no longer in the config` };
  let hold: string | undefined;
  let prBase = source.prBase;
  if (source.pr !== null) {
    const pull = await getPull(gh, { owner: a.repo.owner, repo: a.repo.name, number: source.pr });
    prBase ??= pull?.baseRef;
    const trust = pull
      ? await pullTrust(deps, gh, a.repo, pull, a.config)
      : { trusted: false as const, reason: `pull request #${source.pr} could not be read` };
    if (!trust.trusted && !(await approvalOf(deps, a.repo.fullName, source.sha))) {
      hold = holdReason(trust, a.config.commands.min_permission);
      // Already waiting for approval: a second held check run would add nothing.
      if (source.state === 'awaiting_approval') return { kind: 'held', dispatch: null, reason: hold };
    }
  }
  const [d] = await startTargets(deps, gh, {
    only: [target],
    repo: a.repo,
    config: a.config,
    sha: source.sha,
    branch: source.branch,
    pr: source.pr,
    ...(prBase ? { prBase } : {}),
    trigger: a.trigger ?? 'rerun',
    actor: a.actor,
    deliveryId: a.deliveryId,
    claimKey: a.claimKey,
    overrides: overridesFrom(source, configForTarget(a.config, target)),
    notes: [`Re-run of dispatch ${source.dispatchId}${a.actor ? `, requested by @${a.actor}` : ''} (${a.via}).`],
    ...(hold ? { hold } : {}),
  });
  return hold ? { kind: 'held', dispatch: d ?? null, reason: hold } : { kind: 'started', dispatch: d! };
}
