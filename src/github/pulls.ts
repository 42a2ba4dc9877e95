import type { GitHub } from './client';
import { httpStatus } from './client';
import { conditionalGet } from './conditional';

/** The few fields of a pull request the coordinator decides with. */
export interface PullInfo {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  headSha: string;
  headRef: string;
  /** The branch it merges into (`release/1.x`, not always the default branch): runs compare with it. */
  baseRef: string;
  /** null when the fork was deleted. */
  headRepoFullName: string | null;
  baseRepoFullName: string;
  authorLogin: string;
  authorAssociation: string;
}

/**
 * The pull request as GitHub has it now. Comment payloads carry no head sha, and webhook payloads
 * go stale; this is the current head. 404 → null.
 */
export async function getPull(gh: GitHub, p: { owner: string; repo: string; number: number }): Promise<PullInfo | null> {
  try {
    // Conditional: a pull request unchanged since the last comment costs a 304, not counted (./conditional.ts).
    const pr = await conditionalGet(gh, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: p.owner,
      repo: p.repo,
      pull_number: p.number,
    });
    return {
      number: pr.number,
      state: pr.state === 'closed' ? 'closed' : 'open',
      merged: pr.merged === true,
      headSha: pr.head.sha,
      headRef: pr.head.ref,
      baseRef: pr.base.ref,
      headRepoFullName: pr.head.repo?.full_name ?? null,
      baseRepoFullName: pr.base.repo.full_name,
      authorLogin: pr.user?.login ?? '',
      authorAssociation: pr.author_association,
    };
  } catch (err) {
    if (httpStatus(err) === 404) return null;
    throw err;
  }
}
