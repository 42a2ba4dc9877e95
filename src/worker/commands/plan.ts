/**
 * Deciding what each command of a comment will do. Reads only (GitHub and the store); the
 * decision is then stored per delivery before anything is carried out.
 */
import { codeSpan } from '../../core/markdown';
import type { Command } from '../../core/commands';
import { validateOverrides } from '../../core/dispatch-inputs';
import { configForTarget, hasNamedTargets, resolveTargets, type ResolvedTarget } from '../../core/config/targets';
import { claim } from '../../store/deliveries';
import { decideOkToTest, shaMatches, type HeldRun, type OkToTestDecision } from '../../core/approval';
import { dispatchesOfCommit, dispatchesOfRef, getDispatch } from '../../store/dispatches';
import { approvalOf, pullTrust } from '../approval';
import { overridesFrom } from '../redispatch';
import type { CommandContext, Plan } from './context';

const short = (sha: string) => sha.slice(0, 7);

/**
 * The plan for one command, decided once per delivery: the first processing stores it, a retry
 * gets the stored one back (and so repeats the same effects, which are idempotent themselves).
 */
export async function planOnce(ctx: CommandContext, cmd: Command): Promise<Plan> {
  const fresh = await planCommand(ctx, cmd);
  const stored = await claim(ctx.deps.store, {
    deliveryId: ctx.deliveryId,
    key: `plan:${cmd.line}`,
    value: JSON.stringify(fresh),
    now: ctx.deps.now(),
  });
  const plan = stored.first ? fresh : (JSON.parse(stored.value) as Plan);
  if (plan.kind === 'dispatch' && plan.trigger === 'approval') ctx.approved.add(plan.sha);
  return plan;
}

async function planCommand(ctx: CommandContext, cmd: Command): Promise<Plan> {
  const prefix = ctx.config.commands.prefix;
  switch (cmd.kind) {
    case 'unknown':
      return {
        kind: 'refuse',
        reason: `unknown command ${codeSpan(cmd.name)}${cmd.suggestion ? `; did you mean ${codeSpan(`${prefix} ${cmd.suggestion}`)}?` : '.'}`,
        help: true,
      };
    case 'invalid':
      return { kind: 'refuse', reason: cmd.error };
    case 'help':
      return { kind: 'help' };
    case 'status':
      return { kind: 'status' };
    case 'cancel':
      return { kind: 'cancel' };
    case 'run':
      return planRun(ctx, cmd.overrides, cmd.target);
    case 'retest':
      return planRetest(ctx, cmd.target);
    case 'ok-to-test':
      return planOkToTest(ctx, cmd.sha);
  }
}

type Open = { ok: true; pull: NonNullable<Awaited<ReturnType<CommandContext['pull']>>> } | { ok: false; plan: Plan };

/** A dispatch of the pull request's head commit: its branch, and its base branch to compare with. */
const headDispatch = (open: Open & { ok: true }, trigger: 'command' | 'rerun' | 'approval') =>
  ({ kind: 'dispatch', sha: open.pull.headSha, branch: open.pull.headRef, prBase: open.pull.baseRef, trigger }) as const;

/** Runs are only for open pull requests. */
async function openPull(ctx: CommandContext): Promise<Open> {
  const pull = await ctx.pull();
  if (!pull) return { ok: false, plan: { kind: 'refuse', reason: `pull request #${ctx.prNumber} could not be read.` } };
  if (pull.state !== 'open')
    return {
      ok: false,
      plan: { kind: 'refuse', reason: `pull request #${pull.number} is ${pull.merged ? 'merged' : 'closed'}; nothing is run for it.` },
    };
  return { ok: true, pull };
}

/** An untrusted fork's head must be approved before any command runs it. */
async function trustRefusal(ctx: CommandContext, pull: Open & { ok: true }): Promise<Plan | null> {
  const trust = await pullTrust(ctx.deps, ctx.gh, ctx.repo, pull.pull, ctx.config);
  if (trust.trusted) return null;
  const sha = pull.pull.headSha;
  if (ctx.approved.has(sha) || (await approvalOf(ctx.deps, ctx.repo.fullName, sha))) return null;
  return {
    kind: 'refuse',
    reason: `the head commit ${codeSpan(short(sha))} comes from a fork and is not approved (${trust.reason}). Comment \`/ok-to-test\` first (needs ${ctx.config.commands.min_permission} permission); it can go on the line above this command.`,
  };
}

/** The targets a command names (none: all), or the refusal that lists the repository's targets. */
function chooseTargets(ctx: CommandContext, target: string | undefined): { ok: true; targets: ResolvedTarget[] } | { ok: false; plan: Plan } {
  const choice = resolveTargets(ctx.config, target ?? null);
  return choice.ok ? choice : { ok: false, plan: { kind: 'refuse', reason: `${choice.error}` } };
}

/** Which targets the plan names: absent for every target (or a file without `targets:`). */
const targetNames = (ctx: CommandContext, target: string | undefined, chosen: ResolvedTarget[]) =>
  target !== undefined && hasNamedTargets(ctx.config) ? { targets: chosen.map((t) => t.name) } : {};

async function planRun(ctx: CommandContext, overrides: Record<string, string>, target?: string): Promise<Plan> {
  const chosen = chooseTargets(ctx, target);
  if (!chosen.ok) return chosen.plan;
  // The inputs a comment may set: those any chosen target declares (each target gets the ones it has).
  const inputs = Object.assign({}, ...chosen.targets.map((t) => configForTarget(ctx.config, t).inputs)) as Record<string, string>;
  const v = validateOverrides(overrides, { ...ctx.config, inputs });
  if (!v.ok && v.kind === 'value') return { kind: 'refuse', reason: `the value of ${codeSpan(v.key)} ${v.problem}.` };
  if (!v.ok) {
    const declared = Object.keys(inputs);
    return {
      kind: 'refuse',
      reason: `${v.unknown.map(codeSpan).join(', ')} ${v.unknown.length === 1 ? 'is not an input' : 'are not inputs'} this repository lets a comment override. ${
        declared.length > 0
          ? `Inputs you can override: ${declared.map(codeSpan).join(', ')}.`
          : 'It declares none (`inputs:` in `.github/arm64-ci.yml`).'
      }`,
    };
  }
  const open = await openPull(ctx);
  if (!open.ok) return open.plan;
  const refused = await trustRefusal(ctx, open);
  if (refused) return refused;
  const pairs = Object.entries(overrides);
  return {
    ...headDispatch(open, 'command'),
    overrides: { ...overrides },
    ...targetNames(ctx, target, chosen.targets),
    notes: pairs.length > 0 ? [`Inputs set by the comment: ${pairs.map(([k, val]) => codeSpan(`${k}=${val}`)).join(', ')}.`] : [],
  };
}

async function planRetest(ctx: CommandContext, target?: string): Promise<Plan> {
  const chosen = chooseTargets(ctx, target);
  if (!chosen.ok) return chosen.plan;
  const open = await openPull(ctx);
  if (!open.ok) return open.plan;
  const sha = open.pull.headSha;
  const refused = await trustRefusal(ctx, open);
  if (refused) return refused;
  const runs = (await dispatchesOfCommit(ctx.deps.store, ctx.repo.fullName, sha, 100)).filter(
    (d) => d.state !== 'awaiting_approval',
  );
  if (hasNamedTargets(ctx.config)) return planRetestTargets(ctx, open, runs, chosen.targets, target);
  // This pull request's latest run of the head commit; else the commit's latest on any ref.
  const source = runs.find((d) => d.pr === ctx.prNumber) ?? runs[0];
  if (!source)
    return {
      kind: 'refuse',
      reason: `there is no arm64 run of the head commit ${codeSpan(short(sha))} to run again; use ${codeSpan(`${ctx.config.commands.prefix} run`)}.`,
    };
  return {
    ...headDispatch(open, 'rerun'),
    overrides: overridesFrom(source, ctx.config),
    notes: [`Re-run of dispatch ${source.dispatchId}, requested by @${ctx.commenter} with \`${ctx.config.commands.prefix} retest\`.`],
  };
}

/**
 * `retest` with named targets: each chosen target runs again with the input values of its own
 * latest run of the head commit (this pull request's first). A target that has none runs with the
 * configured values; with no run of any chosen target there is nothing to run again.
 */
function planRetestTargets(
  ctx: CommandContext,
  open: Open & { ok: true },
  runs: Awaited<ReturnType<typeof dispatchesOfCommit>>,
  chosen: ResolvedTarget[],
  target: string | undefined,
): Plan {
  const sha = open.pull.headSha;
  const overridesByTarget: Record<string, Record<string, string>> = {};
  const sources: string[] = [];
  for (const t of chosen) {
    const mine = runs.filter((d) => d.target === t.name);
    const source = mine.find((d) => d.pr === ctx.prNumber) ?? mine[0];
    if (!source) continue;
    overridesByTarget[t.name] = overridesFrom(source, configForTarget(ctx.config, t));
    sources.push(`${t.name}: dispatch ${source.dispatchId}`);
  }
  const prefix = ctx.config.commands.prefix;
  if (sources.length === 0)
    return {
      kind: 'refuse',
      reason: `there is no arm64 run of ${target === undefined ? 'any target' : `target ${codeSpan(chosen[0]!.name)}`} on the head commit ${codeSpan(short(sha))} to run again; use ${codeSpan(`${prefix} run${target === undefined ? '' : ` ${chosen[0]!.name}`}`)}.`,
    };
  return {
    ...headDispatch(open, 'rerun'),
    overrides: {},
    overridesByTarget,
    ...targetNames(ctx, target, chosen),
    notes: [`Re-run (${sources.join('; ')}), requested by @${ctx.commenter} with \`${prefix} retest${target === undefined ? '' : ` ${chosen[0]!.name}`}\`.`],
  };
}

async function planOkToTest(ctx: CommandContext, requested: string | undefined): Promise<Plan> {
  const open = await openPull(ctx);
  if (!open.ok) return open.plan;
  const sha = open.pull.headSha;
  const trust = await pullTrust(ctx.deps, ctx.gh, ctx.repo, open.pull, ctx.config);
  if (trust.trusted) return { kind: 'note', text: `not needed: ${trust.reason}, so its commits run without approval.` };
  const decide = (held: HeldRun[]) =>
    decideOkToTest({ prNumber: ctx.prNumber, headSha: sha, requested, commentAt: ctx.commentedAt, held });
  // A named sha that is not the head is refused before anything else is looked at.
  if (requested !== undefined && !shaMatches(requested, sha)) {
    const named = decide([]);
    if (named.kind === 'refuse') return refusal(named);
  }
  const earlier = ctx.approved.has(sha) ? null : await approvalOf(ctx.deps, ctx.repo.fullName, sha);
  if (ctx.approved.has(sha) || earlier)
    return {
      kind: 'note',
      text: `the head commit ${codeSpan(short(sha))} is already approved${earlier ? ` (by @${earlier.by})` : ''}; nothing more to do.`,
    };
  const decision = decide(await heldRuns(ctx, sha));
  if (decision.kind === 'refuse') return refusal(decision);
  return {
    ...headDispatch(open, 'approval'),
    overrides: {},
    notes: [
      `Approved for commit ${short(sha)} by @${ctx.commenter} with /ok-to-test at ${ctx.commentedAt}, when it was waiting for approval. A later push needs a new approval.`,
    ],
    releaseHeld: true,
  };
}

function refusal(d: Extract<OkToTestDecision, { kind: 'refuse' }>): Plan {
  return { kind: 'refuse', reason: d.reason, ...(d.notCovered ? { notCovered: d.notCovered } : {}) };
}

/**
 * This pull request's held runs, of any commit: when each was shown as waiting, and whether the
 * head's still are. Those of the head are re-read (the index may lag): a hold closed as superseded
 * no longer counts. When a run was first shown as waiting never changes.
 */
async function heldRuns(ctx: CommandContext, headSha: string): Promise<HeldRun[]> {
  const list = (await dispatchesOfRef(ctx.deps.store, ctx.repo.fullName, { pr: ctx.prNumber }, 100)).filter(
    (d) => d.heldAt !== undefined || (d.sha === headSha && d.state === 'awaiting_approval'),
  );
  const out: HeldRun[] = [];
  for (const d of list) {
    const fresh = d.sha === headSha ? await getDispatch(ctx.deps.store, d.repo, d.dispatchId) : d;
    if (fresh) out.push({ sha: fresh.sha, heldAt: fresh.heldAt ?? null, waiting: fresh.state === 'awaiting_approval' });
  }
  return out;
}
