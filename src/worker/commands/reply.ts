/** The one reply a comment gets, and the reactions on it. */
import { renderHelp } from '../../core/commands';
import { codeSpan } from '../../core/markdown';
import type { GitHub } from '../../github/client';
import { addReaction, hasCommentWith, postComment, type ReactionContent } from '../../github/comments';
import { claim } from '../../store/deliveries';
import type { RepoRef, WorkerDeps } from '../deps';
import type { Outcome } from './context';

/** Hidden in the reply: how a retried delivery recognises the reply its first attempt posted. */
export const replyMarker = (deliveryId: string) => `<!-- arm64-ci: reply to delivery ${deliveryId} -->`;

/**
 * Markdown answering every command that has something to say, in the order written, or null
 * when reactions say it all. `help` (prefix and inputs) is appended once when a command was unknown.
 */
export function renderReply(
  a: { commenter: string; outcomes: Outcome[]; help: { prefix: string; inputs: string[]; targets?: string[] } | null },
): string | null {
  const parts = a.outcomes
    .filter((o): o is Outcome & { reply: string } => o.reply !== undefined)
    .map((o) => `${codeSpan(o.text)}:${o.reply.startsWith('\n') ? '' : ' '}${o.reply}`);
  if (parts.length === 0) return null;
  const wantsHelp = a.help && a.outcomes.some((o) => o.help) && !a.outcomes.some((o) => o.showsHelp);
  return [
    `@${a.commenter}`,
    '',
    ...parts.flatMap((p) => [p, '']),
    ...(wantsHelp && a.help ? [renderHelp(a.help.prefix, a.help.inputs, a.help.targets)] : []),
  ]
    .join('\n')
    .trimEnd();
}

/** The reactions a comment gets for these outcomes: eyes (accepted), rocket (dispatched), confused (refused). */
export function reactionsFor(outcomes: Outcome[]): ReactionContent[] {
  const out: ReactionContent[] = [];
  if (outcomes.some((o) => o.accepted)) out.push('eyes');
  if (outcomes.some((o) => o.dispatched)) out.push('rocket');
  if (outcomes.some((o) => !o.accepted)) out.push('confused');
  return out;
}

export async function react(
  gh: GitHub,
  repo: RepoRef,
  commentId: number,
  content: ReactionContent,
): Promise<void> {
  // GitHub answers an existing reaction with 200: a retry adds nothing.
  await addReaction(gh, { owner: repo.owner, repo: repo.name, commentId, content });
}

/**
 * Posts the reply once per delivery. The first attempt claims and posts; a retry (which cannot
 * know whether the first got as far as posting) looks for the marker among the App's comments
 * since the command was written, and posts only if it is not there.
 */
export async function replyOnce(
  deps: WorkerDeps,
  gh: GitHub,
  a: { repo: RepoRef; prNumber: number; deliveryId: string; since: string; body: string },
): Promise<void> {
  const marker = replyMarker(a.deliveryId);
  const first = await claim(deps.store, { deliveryId: a.deliveryId, key: 'reply', value: 'posting', now: deps.now() });
  const where = { owner: a.repo.owner, repo: a.repo.name, issueNumber: a.prNumber };
  if (!first.first && (await hasCommentWith(gh, { ...where, since: a.since, marker }))) return;
  await postComment(gh, { ...where, body: `${a.body}\n\n${marker}` });
}
