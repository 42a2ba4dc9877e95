/** Carrying out a command's plan. Every step is idempotent per delivery. */
import { renderHelp } from '../../core/commands';
import { codeSpan } from '../../core/config';
import { progressOf } from '../../core/progress';
import { advanceDispatch, dispatchesOfCommit, dispatchesOfRef, type DispatchItem } from '../../store/dispatches';
import { syncCheckRun } from '../check-run';
import { startRun } from '../start-run';
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
      return { ...base, accepted: false, reply: `refused: ${plan.reason}`, help: plan.help };
    case 'note':
      return { ...base, reply: plan.text };
    case 'help':
      return { ...base, showsHelp: true, reply: `\n\n${renderHelp(ctx.config.commands.prefix, Object.keys(ctx.config.inputs))}` };
    case 'status':
      return { ...base, reply: `\n\n${await renderStatus(ctx)}` };
    case 'cancel':
      return { ...base, reply: await cancelRuns(ctx) };
    case 'dispatch':
      return dispatchPlan(ctx, plan, line, base);
  }
}

async function dispatchPlan(
  ctx: CommandContext,
  plan: Extract<Plan, { kind: 'dispatch' }>,
  line: number,
  base: Outcome,
): Promise<Outcome> {
  const d = await startRun(ctx.deps, ctx.gh, {
    repo: ctx.repo,
    config: ctx.config,
    sha: plan.sha,
    branch: plan.branch,
    pr: ctx.prNumber,
    trigger: plan.trigger,
    actor: ctx.commenter,
    deliveryId: ctx.deliveryId,
    claimKey: `cmd:${line}`,
    overrides: plan.overrides,
    notes: plan.notes,
  });
  if (plan.releaseHeld) await releaseHeld(ctx, plan.sha, d);
  if (wasDispatched(d)) return { ...base, dispatched: true };
  return {
    ...base,
    accepted: false,
    reply: `could not be dispatched: ${d.notes.at(-2) ?? d.notes.at(-1) ?? 'GitHub refused it'} (details in the check run).`,
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
