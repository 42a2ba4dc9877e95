/** Carrying out a command's plan. Every step is idempotent per delivery. */
import { renderHelp } from '../../core/commands';
import { codeSpan } from '../../core/markdown';
import { progressOf } from '../../core/progress';
import { notCoveredNote } from '../../core/approval';
import { claimApproval, rememberOkToTest } from '../../store/approvals';
import { claim } from '../../store/deliveries';
import {
  advanceDispatch,
  dispatchesOfCommit,
  dispatchesOfRef,
  getDispatch,
  patchDispatch,
  type DispatchItem,
} from '../../store/dispatches';
import { syncCheckRun } from '../check-run';
import { targetsOf } from '../../core/config/targets';
import { helpArgs } from '../help-args';
import { startTargets } from '../start-run';
import { stopAll } from '../supersede';
import type { CommandContext, Outcome, Plan } from './context';
import { renderStatus } from './status';

/** Whether GitHub took the dispatch (a workflow run exists or was promised). */
function wasDispatched(d: DispatchItem): boolean {
  return d.dispatchedAt !== null || d.workflowRunId !== null || ['dispatched', 'queued', 'in_progress'].includes(d.state);
}

export async function execute(ctx: CommandContext, plan: Plan, line: number, text: string): Promise<Outcome> {
  const base = { text, accepted: true, dispatched: false };
  switch (plan.kind) {
    case 'refuse':
      if (plan.notCovered) await noteNotCovered(ctx, plan.notCovered);
      return { ...base, accepted: false, reply: `refused: ${plan.reason}`, help: plan.help };
    case 'note':
      return { ...base, reply: plan.text };
    case 'help':
      return { ...base, showsHelp: true, reply: `\n\n${renderHelp(...helpArgs(ctx.config))}` };
    case 'status':
      return { ...base, reply: `\n\n${await renderStatus(ctx)}` };
    case 'cancel':
      return { ...base, reply: await cancelRuns(ctx) };
    case 'dispatch':
      return plan.trigger === 'approval' ? approve(ctx, plan, line, base) : dispatchPlan(ctx, plan, line, base);
  }
}

/**
 * `/ok-to-test` of a commit: the approval is claimed per commit, so whichever comment or delivery
 * claims it first owns the commit's one dispatch. A retry of the owner finds its own claim and
 * carries on; any other approval of the same sha (another comment, a duplicate delivery) is told
 * it is already approved and dispatches nothing.
 */
async function approve(ctx: CommandContext, plan: Extract<Plan, { kind: 'dispatch' }>, line: number, base: Outcome): Promise<Outcome> {
  const { store } = ctx.deps;
  const now = ctx.deps.now();
  const repo = ctx.repo.fullName;
  // This delivery's candidate dispatch id: the same one on every retry of the delivery.
  const { value: mine } = await claim(store, { deliveryId: ctx.deliveryId, key: `cmd:${line}`, value: ctx.deps.newId(), now });
  const { item: approval } = await claimApproval(store, {
    repo,
    sha: plan.sha,
    pr: ctx.prNumber,
    by: ctx.commenter,
    commentAt: ctx.commentedAt,
    deliveryId: ctx.deliveryId,
    dispatchId: mine,
    now,
    ttlDays: ctx.config.history_days,
  });
  await rememberOkToTest(store, { repo, pr: ctx.prNumber, by: ctx.commenter, commentAt: ctx.commentedAt, sha: plan.sha, now, ttlDays: ctx.config.history_days });
  // Someone else's approval: its dispatch exists, or (its worker died before recording it) is made here, once.
  if (approval.dispatchId !== mine && (await getDispatch(store, repo, approval.dispatchId)))
    return {
      ...base,
      reply: `the head commit ${codeSpan(plan.sha.slice(0, 7))} is already approved (by @${approval.by}); nothing more to do.`,
    };
  return dispatchPlan(ctx, plan, line, base, approval.dispatchId);
}

/**
 * An `/ok-to-test` that did not cover the head commit: remembered as the pull request's latest
 * (so the commit's held check run, now or when its push is processed, says why it still waits).
 */
async function noteNotCovered(ctx: CommandContext, sha: string): Promise<void> {
  const { store } = ctx.deps;
  const latest = { by: ctx.commenter, commentAt: ctx.commentedAt, sha: null };
  await rememberOkToTest(store, {
    repo: ctx.repo.fullName,
    pr: ctx.prNumber,
    ...latest,
    now: ctx.deps.now(),
    ttlDays: ctx.config.history_days,
  });
  const note = notCoveredNote(latest, sha);
  if (!note) return;
  const held = (await dispatchesOfCommit(store, ctx.repo.fullName, sha, 100)).filter(
    (d) => d.state === 'awaiting_approval' && d.pr === ctx.prNumber && !d.notes.includes(note),
  );
  for (const d of held) {
    const fresh = await getDispatch(store, d.repo, d.dispatchId);
    if (!fresh || fresh.state !== 'awaiting_approval' || fresh.notes.includes(note)) continue;
    const updated = await patchDispatch(store, fresh, { notes: [...fresh.notes, note] }, ctx.deps.now());
    await syncCheckRun(ctx.deps, ctx.gh, updated);
  }
}

async function dispatchPlan(
  ctx: CommandContext,
  plan: Extract<Plan, { kind: 'dispatch' }>,
  line: number,
  base: Outcome,
  dispatchId?: string,
): Promise<Outcome> {
  const named = plan.targets;
  const runs = await startTargets(ctx.deps, ctx.gh, {
    repo: ctx.repo,
    config: ctx.config,
    sha: plan.sha,
    branch: plan.branch,
    pr: ctx.prNumber,
    ...(plan.prBase ? { prBase: plan.prBase } : {}),
    trigger: plan.trigger,
    actor: ctx.commenter,
    deliveryId: ctx.deliveryId,
    claimKey: `cmd:${line}`,
    overrides: plan.overrides,
    notes: plan.notes,
    ...(named ? { only: targetsOf(ctx.config).filter((t) => named.includes(t.name)) } : {}),
    ...(plan.overridesByTarget ? { overridesByTarget: plan.overridesByTarget } : {}),
    // An approval's first target takes the approval's dispatch id; the others are claimed under the approving delivery.
    ...(dispatchId ? { dispatchId, claimDelivery: `${ctx.repo.fullName.toLowerCase()}:approval:${plan.sha}` } : {}),
  });
  if (plan.releaseHeld && runs[0]) await releaseHeld(ctx, plan.sha, runs[0]);
  const refused = runs.filter((d) => !wasDispatched(d));
  if (runs.length > 0 && refused.length === 0) return { ...base, dispatched: true };
  const why = (d: DispatchItem) => `${d.notes.at(-2) ?? d.notes.at(-1) ?? 'GitHub refused it'}`;
  const reasons =
    refused.length === 1 && runs.length === 1
      ? why(refused[0]!)
      : refused.map((d) => `${d.target ? `${codeSpan(d.target)}: ` : ''}${why(d)}`).join('; ');
  return {
    ...base,
    accepted: refused.length < runs.length,
    dispatched: refused.length < runs.length,
    reply: `could not be dispatched: ${reasons} (details in the check run${refused.length === 1 ? '' : 's'}).`,
  };
}

/**
 * The held check runs of an approved commit end `neutral` and point at the run that replaces
 * them, rather than being reopened: a completed check run cannot honestly go back to queued, and
 * GitHub shows the newest check run of a name on a commit.
 */
async function releaseHeld(ctx: CommandContext, sha: string, approval: DispatchItem): Promise<void> {
  const held = (await dispatchesOfCommit(ctx.deps.store, ctx.repo.fullName, sha, 100)).filter(
    (d) => d.state === 'awaiting_approval' && d.pr === ctx.prNumber,
  );
  for (const d of held) {
    const now = ctx.deps.now();
    const done = await advanceDispatch(
      ctx.deps.store,
      d,
      {
        state: 'completed',
        progress: progressOf('completed', d.attempt),
        conclusion: 'neutral',
        completedAt: now.toISOString(),
        notes: [
          ...d.notes,
          `Approved by @${ctx.commenter} with /ok-to-test: commit ${sha.slice(0, 7)} runs in a new check run (dispatch ${approval.dispatchId}).`,
        ],
      },
      { now, from: ['awaiting_approval'] },
    );
    if (done) await syncCheckRun(ctx.deps, ctx.gh, done);
  }
}

async function cancelRuns(ctx: CommandContext): Promise<string> {
  const list = await dispatchesOfRef(ctx.deps.store, ctx.repo.fullName, { pr: ctx.prNumber }, 50);
  const stopped = await stopAll(ctx.deps, ctx.gh, list, () => `Cancelled by @${ctx.commenter} with \`${ctx.config.commands.prefix} cancel\`.`);
  if (stopped.length === 0) return `nothing to cancel: no arm64 run of #${ctx.prNumber} is in progress.`;
  const items = stopped.map((d) =>
    d.workflowRunUrl ? `[${codeSpan(d.sha.slice(0, 7))}](${d.workflowRunUrl})` : codeSpan(d.sha.slice(0, 7)),
  );
  return `cancelled ${stopped.length} run${stopped.length === 1 ? '' : 's'} (${items.join(', ')}).`;
}
