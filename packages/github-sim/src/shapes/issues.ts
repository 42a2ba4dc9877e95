/** Issue comments and their reactions in GitHub's JSON. */
import { specExample } from '../openapi-spec';
import type { CommentRecord, ReactionRecord } from '../records';
import { integration } from './apps';
import { iso, nodeId, rehost, type Obj, type ShapeContext } from './base';
import { user } from './repos';

export function issueComment(ctx: ShapeContext, c: CommentRecord, authorAssociation = 'NONE'): Obj {
  const api = `${ctx.apiBase}/repos/${c.repo}`;
  const base = rehost(specExample('issue-comment'), ctx, { 'octocat/Hello-World': c.repo });
  const app = ctx.state.app;
  const bot = app && c.user === `${app.slug}[bot]`;
  return {
    ...base,
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: `${api}/issues/comments/${c.id}`,
    html_url: `${ctx.htmlBase}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${api}/issues/${c.issueNumber}`,
    body: c.body,
    user: user(ctx, c.user, bot ? 'Bot' : 'User'),
    created_at: iso(c.createdAt),
    updated_at: iso(c.createdAt),
    author_association: authorAssociation,
    performed_via_github_app: bot ? integration(ctx) : null,
    reactions: reactionRollup(ctx, `${api}/issues/comments/${c.id}/reactions`, c.id),
  };
}

const REACTIONS = ['+1', '-1', 'laugh', 'hooray', 'confused', 'heart', 'rocket', 'eyes'] as const;

/** GitHub's reaction counts; `commentId` undefined → an issue, whose reactions the stand-in does not track. */
export function reactionRollup(ctx: ShapeContext, url: string, commentId?: number): Obj {
  const mine = commentId === undefined ? [] : ctx.state.reactions.filter((r) => r.commentId === commentId);
  const out: Obj = { url, total_count: mine.length };
  for (const name of REACTIONS) out[name] = mine.filter((r) => r.content === name).length;
  return out;
}

export function reaction(ctx: ShapeContext, r: ReactionRecord): Obj {
  const app = ctx.state.app;
  return {
    id: r.id,
    node_id: nodeId('Reaction', r.id),
    user: user(ctx, r.user, app && r.user === `${app.slug}[bot]` ? 'Bot' : 'User'),
    content: r.content,
    created_at: iso(r.createdAt),
  };
}
