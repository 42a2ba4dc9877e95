/**
 * Slash commands in pull-request comments (README.md, "Slash commands and trust"; docs/COMMANDS.md).
 *
 * Only new comments on pull requests, from people (never bots, ourselves included). The route
 * passes only `issue_comment.created`, so editing or deleting a comment never re-triggers. The
 * commenter's permission is read once per comment. Each command is planned (and the plan stored
 * per delivery) before anything is done, then carried out; the comment gets `eyes` when any
 * command was accepted, `rocket` once something was dispatched, `confused` when any was refused,
 * and at most one reply that answers every command with something to say.
 */
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { parseCommands, type Command } from '../core/commands';
import { codeSpan } from '../core/markdown';
import { renderConfigProblems } from '../core/config/problems';
import { CONFIG_PATH } from '../core/config/schema';
import { clip } from '../core/text';
import { permissionAtLeast } from '../core/trust';
import { getPermission } from '../github/collaborators';
import { getPull, type PullInfo } from '../github/pulls';
import type { CommandContext, Outcome } from './commands/context';
import { execute } from './commands/execute';
import { planOnce } from './commands/plan';
import { react, reactionsFor, renderReply, replyOnce } from './commands/reply';
import { repoRef, type WorkerDeps } from './deps';
import { helpArgs } from './help-args';
import { loadRepoConfig } from './repo-config';

type IssueCommentPayload = EmitterWebhookEvent<'issue_comment'>['payload'];

/** The documented default prefix (README.md, "Slash commands and trust"): what commands look like where no config says otherwise. */
const DEFAULT_PREFIX = '/arm64';

/** Cheap test before any API call: every command starts a line with "/" (after ≤ 3 spaces). */
const MAY_HOLD_COMMAND = /(?:^|[\r\n])[ \t]{0,3}\//;

function isBot(user: { login?: string | null; type?: string | null } | null | undefined): boolean {
  if (!user) return false;
  return user.type === 'Bot' || (user.login ?? '').toLowerCase().endsWith('[bot]');
}

export async function onIssueComment(deps: WorkerDeps, deliveryId: string, payload: IssueCommentPayload): Promise<void> {
  if (payload.action !== 'created' || !payload.issue.pull_request) return;
  const comment = payload.comment;
  if (isBot(comment.user) || isBot(payload.sender)) return;
  const body = comment.body ?? '';
  if (!MAY_HOLD_COMMAND.test(body)) return;
  const repo = repoRef(payload);
  if (!repo || !comment.user) return;
  const prNumber = payload.issue.number;
  const commenter = comment.user.login;
  const lines = body.split(/\r\n|\r|\n/);
  const textOf = (c: Command) => {
    const t = (lines[c.line - 1] ?? '').trim();
    return clip(t, 101);
  };
  const gh = await deps.github.forInstallation(repo.installationId);
  const where = { repo, prNumber, deliveryId, since: comment.created_at };

  const cfg = await loadRepoConfig(gh, repo);
  if (cfg.kind !== 'ok') {
    // Without a config there is no prefix: only the default one is read, so "/cc @x" stays quiet.
    const commands = parseCommands(body, DEFAULT_PREFIX);
    if (commands.length === 0) return;
    const why =
      cfg.kind === 'missing'
        ? `arm64 CI is not set up in ${repo.fullName}: there is no ${codeSpan(CONFIG_PATH)} on its default branch (${codeSpan(repo.defaultBranch)}), so commands do nothing.`
        : renderConfigProblems(cfg.problems).summary.replace('so nothing was dispatched', 'so commands are ignored until it is fixed');
    await react(gh, repo, comment.id, 'confused');
    await replyOnce(deps, gh, { ...where, body: `@${commenter}\n\n${why}` });
    deps.log.info('commands refused: no usable config', { repo: repo.fullName, pr: prNumber, config: cfg.kind });
    return;
  }
  const config = cfg.config;
  const commands = parseCommands(body, config.commands.prefix);
  if (commands.length === 0) return;

  const required = config.commands.min_permission;
  const permission = await getPermission(gh, { owner: repo.owner, repo: repo.name, username: commenter });
  if (!permissionAtLeast(permission, required)) {
    await react(gh, repo, comment.id, 'confused');
    const list = commands.map((c) => `- ${codeSpan(textOf(c))}`).join('\n');
    await replyOnce(deps, gh, {
      ...where,
      body: `@${commenter}\n\nrefused: arm64 commands need ${codeSpan(required)} permission on ${repo.fullName}, and you have ${codeSpan(permission)}. Not run:\n\n${list}`,
    });
    deps.log.info('commands refused: permission', { repo: repo.fullName, pr: prNumber, commenter, permission, required });
    return;
  }

  let pullPromise: Promise<PullInfo | null> | undefined;
  const ctx: CommandContext = {
    deps,
    gh,
    repo,
    config,
    prNumber,
    commenter,
    commentedAt: comment.created_at,
    deliveryId,
    pull: () => (pullPromise ??= getPull(gh, { owner: repo.owner, repo: repo.name, number: prNumber })),
    approved: new Set(),
  };
  // In order: an `/ok-to-test` above a `run` approves the commit the `run` then uses.
  const plans = [];
  for (const c of commands) plans.push(await planOnce(ctx, c));
  const anyAccepted = plans.some((p) => p.kind !== 'refuse');
  if (anyAccepted) await react(gh, repo, comment.id, 'eyes');
  const outcomes: Outcome[] = [];
  for (const [i, c] of commands.entries()) outcomes.push(await execute(ctx, plans[i]!, c.line, textOf(c)));

  for (const content of reactionsFor(outcomes)) {
    if (content === 'eyes' && anyAccepted) continue; // already there
    await react(gh, repo, comment.id, content);
  }
  const reply = renderReply({
    commenter,
    outcomes,
    help: (([prefix, inputs, targets]) => ({ prefix, inputs, targets }))(helpArgs(config)),
  });
  if (reply) await replyOnce(deps, gh, { ...where, body: reply });
  deps.log.info('commands handled', {
    repo: repo.fullName,
    pr: prNumber,
    commenter,
    commands: commands.map((c) => c.kind),
    dispatched: outcomes.filter((o) => o.dispatched).length,
    refused: outcomes.filter((o) => !o.accepted).length,
  });
}
