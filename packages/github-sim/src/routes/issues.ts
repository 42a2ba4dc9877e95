/** Pull requests and their conversation: comments posted by the App, reactions on users' comments. */
import * as shapes from '../shapes';
import type { RepoRecord } from '../records';
import { intParam, notFound, paginate, repoOf, type Handler, type RouteContext, type RouteEnv } from './context';

/** A pull request's conversation, by `issue_number` (the stand-in's issues are its pull requests). */
function issueOf(env: RouteEnv, ctx: RouteContext): { repo: RepoRecord; issueNumber: number } {
  const repo = repoOf(env, ctx);
  const issueNumber = intParam(ctx, 'issue_number');
  if (!repo.pulls.some((p) => p.number === issueNumber)) throw notFound();
  return { repo, issueNumber };
}

/** Who the App writes as. */
const appLogin = (env: RouteEnv) => (env.state.app ? `${env.state.app.slug}[bot]` : 'stand-in[bot]');

export const issuesRoutes: Record<string, Handler> = {
  'pulls/get': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const pr = repo.pulls.find((p) => p.number === intParam(ctx, 'pull_number'));
    if (!pr) throw notFound();
    return { status: 200, body: shapes.pullRequest(env.shape, repo, pr) };
  },

  'reactions/create-for-issue-comment': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const commentId = intParam(ctx, 'comment_id');
    if (!env.state.comments.some((c) => c.id === commentId && c.repo === repo.fullName)) throw notFound();
    const user = appLogin(env);
    const content = String(ctx.body.content);
    const existing = env.state.reactions.find((r) => r.commentId === commentId && r.user === user && r.content === content);
    if (existing) return { status: 200, body: shapes.reaction(env.shape, existing) };
    const reaction = { id: env.state.nextId('reaction'), repo: repo.fullName, commentId, content, user, createdAt: env.state.now() };
    env.state.reactions.push(reaction);
    return { status: 201, body: shapes.reaction(env.shape, reaction) };
  },

  'issues/create-comment': (env, ctx) => {
    const { repo, issueNumber } = issueOf(env, ctx);
    const comment = {
      id: env.state.nextId('comment'),
      repo: repo.fullName,
      issueNumber,
      body: String(ctx.body.body),
      user: appLogin(env),
      createdAt: env.state.now(),
      viaApp: true,
    };
    env.state.comments.push(comment);
    return { status: 201, body: shapes.issueComment(env.shape, comment) };
  },

  'issues/list-comments': (env, ctx) => {
    const { repo, issueNumber } = issueOf(env, ctx);
    const list = env.state.comments.filter((c) => c.repo === repo.fullName && c.issueNumber === issueNumber);
    const { page, headers } = paginate(ctx, list);
    return { status: 200, headers, body: page.map((c) => shapes.issueComment(env.shape, c)) };
  },
};
