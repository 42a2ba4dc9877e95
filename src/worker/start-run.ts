import type { RepoConfig } from '../core/config/schema';
import { baselineTarget, configForTarget, hasNamedTargets, targetsOf, type ResolvedTarget } from '../core/config/targets';
import { isHostedRequest } from '../core/routing';
import { dispatchInputs } from '../core/dispatch-inputs';
import { progressOf } from '../core/progress';
import { DEFAULT_DISPATCH_TIMEOUT_MINUTES, DEFAULT_TIMEOUT_MINUTES } from '../core/reconcile';
import { repoParts } from '../core/repo-name';
import { createCheckRun, findCheckRun } from '../github/checks';
import { githubMessage, httpStatus, type GitHub } from '../github/client';
import { dispatchWorkflow } from '../github/dispatch';
import { findRunByDispatchId } from '../github/workflow-runs';
import { claim } from '../store/deliveries';
import { openDispatch } from '../store/open-dispatches';
import {
  advanceDispatch,
  dispatchItem,
  linkWorkflowRun,
  patchDispatch,
  putDispatchOnce,
  type DispatchItem,
} from '../store/dispatches';
import { belowReserve } from '../github/rate-budget';
import { checkStatus, checkView, renderDispatch, syncCheckRun } from './check-run';
import { smokeSettingsOf } from './smoke-settings';
import { runPageUrl, type RepoRef, type WorkerDeps } from './deps';
import { refreshFleet } from './fleet';
import { checkRunActions } from './rerun-action';
import { metrics } from '../metrics/metrics';

interface RunRequest extends Pick<DispatchItem, 'sha' | 'branch' | 'pr' | 'trigger' | 'actor' | 'deliveryId'> {
  repo: RepoRef;
  config: RepoConfig;
  /** Distinguishes several runs started by one delivery (e.g. two commands in one comment). */
  claimKey: string;
  overrides?: Record<string, string>;
  /**
   * Set for an untrusted pull request: the dispatch is recorded and its check run ends
   * `action_required` with this explanation, but nothing is dispatched until someone approves.
   */
  hold?: string;
  /** The pull request's (or merge queue's) base branch when the caller knows it (stored, so completion need not ask GitHub). */
  prBase?: string;
  /** Extra lines for the check run summary (who approved it, which run this re-runs). */
  notes?: string[];
  /**
   * The dispatch id, already claimed by the caller (an approval's is claimed per commit, see
   * store/approvals.ts); otherwise claimed here per delivery and `claimKey`.
   */
  dispatchId?: string;
  /** The named target the run is for; absent for a file without `targets:` (`config` is then the target's view). */
  target?: string;
  /** The baseline target the run is compared with (named targets only, never the baseline's own run). */
  baseline?: string;
}

/**
 * Check run → workflow_dispatch → stored dispatch, safe to repeat: every step first looks at what
 * a previous attempt of the same delivery already did (the claim gives it the same dispatch id),
 * so a retried or crashed worker never creates a second check run or dispatches twice.
 */
export async function startRun(deps: WorkerDeps, gh: GitHub, req: RunRequest): Promise<DispatchItem> {
  const now = deps.now();
  const dispatchId =
    req.dispatchId ?? (await claim(deps.store, { deliveryId: req.deliveryId, key: req.claimKey, value: deps.newId(), now })).value;
  const inputs = dispatchInputs({
    sha: req.sha,
    pr: req.pr,
    dispatchId,
    config: req.config,
    overrides: req.overrides,
  });
  const { item, created } = await putDispatchOnce(deps.store, {
    ...dispatchItem({
      dispatchId,
      repo: req.repo.fullName,
      installationId: req.repo.installationId,
      private: req.repo.private,
      sha: req.sha,
      branch: req.branch,
      pr: req.pr,
      trigger: req.trigger,
      actor: req.actor,
      deliveryId: req.deliveryId,
      workflow: req.config.workflow,
      ref: req.config.ref,
      runnerLabels: req.config.runner_labels,
      inputs,
      checkName: req.config.check_name,
      ...(req.target !== undefined ? { target: req.target } : {}),
      ...(req.baseline !== undefined ? { baseline: req.baseline } : {}),
      checkRunId: null,
      state: req.hold ? 'awaiting_approval' : 'pending',
      progress: progressOf(req.hold ? 'awaiting_approval' : 'pending'),
      attempt: 1,
      conclusion: req.hold ? 'action_required' : null,
      workflowRunId: null,
      workflowRunUrl: null,
      notes: [...(req.hold ? [req.hold] : []), ...(req.notes ?? [])],
      createdAt: now.toISOString(),
      dispatchedAt: null,
      startedAt: null,
      completedAt: null,
      historyDays: req.config.history_days,
      ...(req.prBase ? { prBase: req.prBase } : {}),
    }),
    // The reconciler's limits and the smoke rules travel with the dispatch, so neither the
    // reconciler nor the completion handler needs to read the config again.
    ...dispatchTimeouts(req.config),
    smokeSettings: smokeSettingsOf(req.config),
  });
  let d = item;
  if (d.state !== 'awaiting_approval' && d.state !== 'completed') {
    // Before anything reaches GitHub: a crash later leaves the reconciler something to find.
    await openDispatch(deps.store, {
      repo: d.repo,
      dispatchId: d.dispatchId,
      dueAt: new Date(Date.parse(d.createdAt) + dispatchTimeouts(req.config).dispatchTimeoutMinutes * 60_000),
      ttl: d.ttl,
    });
    // Label routing: the first check-run output already says whether any online runner carries
    // the labels (rendered from the pool, listed at most once a minute). Dispatched either way:
    // GitHub queues the job until a runner comes. A GitHub-hosted target has no pool to look at;
    // a cosmetic read, it is also skipped while the installation's rate limit is below the reserve.
    if (d.checkRunId === null && !isHostedRequest(d.runnerLabels) && !belowReserve(gh, now)) await refreshFleet(deps, gh, d.repo);
  }
  if (d.checkRunId === null) d = await ensureCheckRun(deps, gh, d, created);
  if (d.state === 'dispatching') d = await resolveInFlight(deps, gh, d);
  if (d.state === 'pending') d = await dispatch(deps, gh, d);
  noteStart(deps, d);
  return d;
}

/** What starting this run came to, for the delivery's `processed` line. */
function noteStart(deps: WorkerDeps, d: DispatchItem): void {
  if (d.state === 'awaiting_approval') {
    // The first note is the hold's reason (see startRun); its first line says who must approve.
    const why = (d.notes[0] ?? 'awaiting approval').split(/(?<=\.)\s/)[0]!.slice(0, 200);
    deps.log.info('held: awaiting approval', { dispatchId: d.dispatchId, reason: why });
    deps.outcome?.add('held', why);
  } else if (d.state === 'completed') {
    deps.outcome?.add('updated check run', `${d.dispatchId} ${d.conclusion ?? 'completed'}`);
  } else {
    deps.outcome?.add('dispatched', d.dispatchId);
  }
}

type TargetsRequest = Omit<RunRequest, 'target' | 'dispatchId'> & {
  /** The targets to run (resolveTargets); absent: every target of the config. */
  only?: ResolvedTarget[];
  /**
   * An approval's dispatch id for the first target. The others' ids are claimed under the
   * approval's own delivery (`claimDelivery`), so whichever worker finishes the approval makes the same runs.
   */
  dispatchId?: string;
  claimDelivery?: string;
  /** Input values per target name (a re-run repeats each target's own); else `overrides` for all. */
  overridesByTarget?: Record<string, Record<string, string>>;
};

/**
 * One run per target, in the config's order, each with its own dispatch, check run and history.
 * A file without `targets:` is exactly one startRun as before (same claim key, no target name);
 * a named target's claim key and stored dispatch carry its name, and comment overrides reach only
 * the targets that declare the input.
 */
export async function startTargets(deps: WorkerDeps, gh: GitHub, req: TargetsRequest): Promise<DispatchItem[]> {
  const { only, dispatchId, claimDelivery, overridesByTarget, ...base } = req;
  const named = hasNamedTargets(req.config);
  const baseline = baselineTarget(req.config);
  const out: DispatchItem[] = [];
  // One at a time: each is a check run and a dispatch, and GitHub asks integrations not to burst.
  for (const [i, t] of (only ?? targetsOf(req.config)).entries()) {
    const config = configForTarget(req.config, t);
    const claimKey = named ? `${req.claimKey}@${t.name}` : req.claimKey;
    const id =
      dispatchId === undefined
        ? undefined
        : i === 0
          ? dispatchId
          : (await claim(deps.store, { deliveryId: claimDelivery ?? req.deliveryId, key: claimKey, value: deps.newId(), now: deps.now() })).value;
    const overrides = overridesByTarget?.[t.name] ?? req.overrides;
    out.push(
      await startRun(deps, gh, {
        ...base,
        config,
        claimKey,
        ...(overrides !== undefined ? { overrides: named ? declaredOnly(overrides, config) : overrides } : {}),
        ...(id !== undefined ? { dispatchId: id } : {}),
        ...(named ? { target: t.name } : {}),
        ...(baseline && !t.baseline ? { baseline: baseline.name } : {}),
      }),
    );
  }
  return out;
}

/** The overrides a target declares (a comment's `key=value` for an input only some targets have). */
function declaredOnly(overrides: Record<string, string>, config: RepoConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(overrides).filter(([k]) => Object.hasOwn(config.inputs, k)));
}

/** Stored on the dispatch item for reconcile/reconciler.ts. */
export interface DispatchTimeouts {
  dispatchTimeoutMinutes: number;
  timeoutMinutes: number;
}

const dispatchTimeouts = (config: Pick<RepoConfig, 'dispatch_timeout_minutes' | 'timeout_minutes'>): DispatchTimeouts => ({
  // Configs parsed before these settings existed lack them: the documented defaults apply.
  dispatchTimeoutMinutes: config.dispatch_timeout_minutes ?? DEFAULT_DISPATCH_TIMEOUT_MINUTES,
  timeoutMinutes: config.timeout_minutes ?? DEFAULT_TIMEOUT_MINUTES,
});

async function ensureCheckRun(deps: WorkerDeps, gh: GitHub, d: DispatchItem, fresh: boolean): Promise<DispatchItem> {
  const { owner, repo } = repoParts(d.repo);
  // Only a retry can have created one already; a fresh dispatch saves the lookup.
  const existing = fresh
    ? null
    : await findCheckRun(gh, { owner, repo, sha: d.sha, name: d.checkName, externalId: d.dispatchId });
  const output = await renderDispatch(deps, d, []);
  const check =
    existing ??
    (await createCheckRun(gh, {
      owner,
      repo,
      name: d.checkName,
      head_sha: d.sha,
      external_id: d.dispatchId,
      details_url: runPageUrl(deps.publicUrl, d.repo, d.dispatchId),
      status: checkStatus(d),
      ...(checkStatus(d) === 'completed'
        ? { conclusion: d.conclusion ?? 'failure', completed_at: deps.now().toISOString() }
        : {}),
      output,
      ...withActions(d),
    }));
  // A held commit is shown as waiting from the moment its check run exists: remember that moment
  // on GitHub's clock (the check run's started_at, which GitHub sets at creation since a held run
  // never sends one), so an /ok-to-test's created_at can be compared with it (core/approval.ts).
  const heldAt = d.state === 'awaiting_approval' ? { heldAt: check.started_at ?? deps.now().toISOString() } : {};
  // What it shows now, so the next update goes out only when that changes (worker/check-run.ts).
  const checkShown = existing ? {} : { checkShown: { status: checkStatus(d), view: checkView(checkStatus(d), d.conclusion, output), at: deps.now().toISOString() } };
  return patchDispatch(deps.store, d, { checkRunId: Number(check.id), ...heldAt, ...checkShown }, deps.now());
}

/** A check run created already finished carries the re-run button, as syncCheckRun gives it. */
function withActions(d: DispatchItem) {
  const actions = checkRunActions(checkStatus(d), d.conclusion ?? 'failure');
  return actions ? { actions } : {};
}

/** A previous attempt died while its dispatch request was in flight: did GitHub get it? */
async function resolveInFlight(deps: WorkerDeps, gh: GitHub, d: DispatchItem): Promise<DispatchItem> {
  const { owner, repo } = repoParts(d.repo);
  const run = await findRunByDispatchId(gh, {
    owner,
    repo,
    workflow: d.workflow,
    dispatchId: d.dispatchId,
    createdAfter: new Date(d.createdAt),
  });
  if (run) return recordDispatched(deps, d, Number(run.id), run.html_url);
  // Not found: GitHub never made the run, so dispatching (again) cannot make a second one.
  const back = await advanceDispatch(
    deps.store,
    d,
    { state: 'pending', progress: d.progress },
    { now: deps.now(), from: ['dispatching'], allowEqual: true },
  );
  return back ?? d;
}

async function dispatch(deps: WorkerDeps, gh: GitHub, d: DispatchItem): Promise<DispatchItem> {
  const now = deps.now();
  // Record the intent before asking GitHub: a crash after this point is resolved by resolveInFlight.
  const mine = await advanceDispatch(
    deps.store,
    d,
    { state: 'dispatching', progress: progressOf('dispatching') },
    { now, from: ['pending'], allowEqual: true },
  );
  if (!mine) return d;
  const { owner, repo } = repoParts(d.repo);
  try {
    const res = await dispatchWorkflow(gh, { owner, repo, workflow: d.workflow, ref: d.ref, inputs: d.inputs });
    return recordDispatched(deps, mine, res.workflowRunId, res.htmlUrl);
  } catch (err) {
    const status = httpStatus(err);
    if (status === null || status >= 500 || status === 429) throw err; // the queue retries; resolveInFlight decides
    return refuseDispatch(deps, gh, mine, status, githubMessage(err));
  }
}

async function recordDispatched(
  deps: WorkerDeps,
  d: DispatchItem,
  workflowRunId: number | null,
  htmlUrl: string | null,
): Promise<DispatchItem> {
  const now = deps.now();
  if (workflowRunId) {
    await linkWorkflowRun(deps.store, { workflowRunId, repo: d.repo, dispatchId: d.dispatchId, ttl: d.ttl });
  }
  const next = await advanceDispatch(
    deps.store,
    d,
    {
      state: 'dispatched',
      progress: progressOf('dispatched'),
      dispatchedAt: now.toISOString(),
      ...(workflowRunId ? { workflowRunId, workflowRunUrl: htmlUrl } : {}),
    },
    { now },
  );
  metrics.count('dispatches');
  deps.log.info('dispatched', { dispatchId: d.dispatchId, workflowRunId, workflow: d.workflow });
  // A workflow_run event may already have moved it further: that is fine, keep its version.
  return next ?? d;
}

/** GitHub said no for good (404 workflow, 422 inputs, 403 permission): fail the check run and say why. */
async function refuseDispatch(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  status: number,
  message: string,
): Promise<DispatchItem> {
  const now = deps.now();
  const hint =
    status === 404
      ? `Is \`.github/workflows/${d.workflow}\` on \`${d.ref}\`, with a \`workflow_dispatch\` trigger, and does the App have \`actions: write\`?`
      : status === 422
        ? `The workflow must declare the \`workflow_dispatch\` inputs \`${Object.keys(d.inputs).join('`, `')}\` (see the README's example workflow).`
        : 'Check the App\'s permissions (`actions: write`).';
  const done = await advanceDispatch(
    deps.store,
    d,
    {
      state: 'completed',
      progress: progressOf('completed'),
      conclusion: 'failure',
      completedAt: now.toISOString(),
      notes: [...d.notes, `GitHub refused the dispatch (HTTP ${status}): ${message}`, hint],
    },
    { now },
  );
  if (!done) return d;
  await syncCheckRun(deps, gh, done, { jobs: [] });
  deps.log.warn('dispatch refused', { repo: d.repo, dispatchId: d.dispatchId, status, githubMessage: message });
  return done;
}
