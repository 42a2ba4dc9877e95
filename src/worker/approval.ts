/**
 * The `/ok-to-test` gate, as stored facts. An approval (store/approvals.ts) is recorded per
 * commit, together with the one dispatch that runs it; a later push to an untrusted fork is held
 * again until someone approves the new head. What an approval covers is decided in
 * core/approval.ts; who is trusted without one in core/trust.ts, with the author's permission
 * fetched here (once per pull request and head, cached in the store).
 */
import { notCoveredNote } from '../core/approval';
import type { Permission, RepoConfig } from '../core/config/schema';
import { decideTrust, needsAuthorPermission, type TrustDecision, type TrustFacts } from '../core/trust';
import type { GitHub } from '../github/client';
import { getPermission } from '../github/collaborators';
import type { PullInfo } from '../github/pulls';
import { getApproval, latestOkToTest, type ApprovalItem } from '../store/approvals';
import { getAuthorPermission, putAuthorPermission } from '../store/author-permissions';
import type { RepoRef, WorkerDeps } from './deps';

/** The author's permission on the repository, asked of GitHub once per pull request and head. */
async function authorPermission(
  deps: WorkerDeps,
  gh: GitHub,
  repo: RepoRef,
  k: { pr: number; sha: string; login: string },
): Promise<string> {
  const key = { repo: repo.fullName, ...k };
  const cached = await getAuthorPermission(deps.store, key);
  if (cached !== null) return cached;
  const permission = await getPermission(gh, { owner: repo.owner, repo: repo.name, username: k.login });
  await putAuthorPermission(deps.store, { ...key, permission, now: deps.now() });
  return permission;
}

/** The trust rule for one pull request head, asking GitHub for the author's permission only when it decides. */
export async function trustOf(
  deps: WorkerDeps,
  gh: GitHub,
  repo: RepoRef,
  config: RepoConfig,
  pr: TrustFacts & { number: number; headSha: string },
): Promise<TrustDecision> {
  const facts: TrustFacts = {
    base_repo_full_name: pr.base_repo_full_name,
    head_repo_full_name: pr.head_repo_full_name,
    author_login: pr.author_login,
    author_association: pr.author_association,
  };
  const permission =
    needsAuthorPermission(facts, config) && pr.author_login !== ''
      ? await authorPermission(deps, gh, repo, { pr: pr.number, sha: pr.headSha, login: pr.author_login })
      : null;
  return decideTrust({ ...facts, author_permission: permission }, config);
}

export function pullTrust(deps: WorkerDeps, gh: GitHub, repo: RepoRef, pull: PullInfo, config: RepoConfig): Promise<TrustDecision> {
  return trustOf(deps, gh, repo, config, {
    number: pull.number,
    headSha: pull.headSha,
    base_repo_full_name: pull.baseRepoFullName,
    head_repo_full_name: pull.headRepoFullName,
    author_login: pull.authorLogin,
    author_association: pull.authorAssociation,
  });
}

/** The approval of a commit, if any (strongly consistent). */
export function approvalOf(deps: WorkerDeps, repo: string, sha: string): Promise<ApprovalItem | null> {
  return getApproval(deps.store, repo, sha);
}

/**
 * What the check run of a held commit says, and the command that releases it; `more` adds why an
 * earlier `/ok-to-test` on the pull request does not cover this commit.
 */
export function holdReason(trust: TrustDecision, minPermission: Permission, more: string[] = []): string {
  return [
    `Waiting for /ok-to-test: ${trust.reason}.`,
    ...more,
    `Someone with ${minPermission} permission on the repository can comment \`/ok-to-test\` (or \`/ok-to-test <sha>\`) once this check run shows the commit waiting, to run it on the self-hosted runners. An approval covers only this commit.`,
  ].join(' ');
}

/** Why the pull request's latest `/ok-to-test` (if any) does not cover `sha`, for its held check run. */
export async function notCoveredBy(
  deps: WorkerDeps,
  a: { repo: string; pr: number; sha: string; pushedAt?: string | null },
): Promise<string[]> {
  const latest = await latestOkToTest(deps.store, a.repo, a.pr);
  const note = latest ? notCoveredNote(latest, a.sha, a.pushedAt) : null;
  return note ? [note] : [];
}
