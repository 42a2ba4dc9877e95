import { clip } from '../core/text';
import type { GitHub } from './client';
import { httpStatus } from './client';

/** GitHub refuses comment bodies over 65,536 characters. */
const MAX_COMMENT_CHARS = 65_536;

export type ReactionContent = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';

/** Posts a comment on an issue or pull request; returns its id. */
export async function postComment(
  gh: GitHub,
  p: { owner: string; repo: string; issueNumber: number; body: string },
): Promise<number> {
  const body = clip(p.body, MAX_COMMENT_CHARS, '\n\n…(cut to fit a comment)');
  const r = await gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: p.owner,
    repo: p.repo,
    issue_number: p.issueNumber,
    body,
  });
  return Number((r.data as { id: number }).id);
}

/**
 * Whether one of the App's own comments on the issue since `since` contains `marker`: how a
 * retried worker tells that its first attempt already replied.
 */
export async function hasCommentWith(
  gh: GitHub,
  p: { owner: string; repo: string; issueNumber: number; since: string; marker: string },
): Promise<boolean> {
  for (let page = 1; page <= 10; page++) {
    const r = await gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: p.owner,
      repo: p.repo,
      issue_number: p.issueNumber,
      since: p.since,
      per_page: 100,
      page,
    });
    const list = r.data as { body?: string | null; user?: { type?: string } | null }[];
    if (list.some((c) => c.user?.type === 'Bot' && (c.body ?? '').includes(p.marker))) return true;
    if (list.length < 100) return false;
  }
  return false;
}

/**
 * Adds a reaction to an issue comment. GitHub answers 200 for a reaction that already exists, so
 * repeating it is harmless. A comment deleted meanwhile (404) is not an error worth a retry.
 */
export async function addReaction(
  gh: GitHub,
  p: { owner: string; repo: string; commentId: number; content: ReactionContent },
): Promise<boolean> {
  try {
    await gh.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
      owner: p.owner,
      repo: p.repo,
      comment_id: p.commentId,
      content: p.content,
    });
    return true;
  } catch (err) {
    if (httpStatus(err) === 404 || httpStatus(err) === 410) return false;
    throw err;
  }
}
