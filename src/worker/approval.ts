/**
 * The `/ok-to-test` gate, as stored facts. An approval is the dispatch `/ok-to-test` creates
 * (trigger `approval`, actor = the approver) for one commit: it is scoped to that sha, so a later
 * push to an untrusted fork is held again until someone approves the new head.
 */
import type { RepoConfig } from '../core/config';
import { decideTrust, type TrustDecision } from '../core/trust';
import type { PullInfo } from '../github/pulls';
import { dispatchesOfCommit, type DispatchItem } from '../store/dispatches';
import type { WorkerDeps } from './deps';

export function pullTrust(pull: PullInfo, config: RepoConfig): TrustDecision {
  return decideTrust(
    {
      base_repo_full_name: pull.baseRepoFullName,
      head_repo_full_name: pull.headRepoFullName,
      author_login: pull.authorLogin,
      author_association: pull.authorAssociation,
    },
    config,
  );
}

/** The approval of a commit, if any: the `/ok-to-test` dispatch made for it. */
export async function approvalOf(deps: WorkerDeps, repo: string, sha: string): Promise<DispatchItem | null> {
  const list = await dispatchesOfCommit(deps.store, repo, sha, 100);
  return list.find((d) => d.trigger === 'approval') ?? null;
}

/** What the check run of a held commit says, and the command that releases it. */
export function holdReason(trust: TrustDecision): string {
  return `Waiting for /ok-to-test: ${trust.reason}. A maintainer with write access can comment \`/ok-to-test\` to run this commit on the self-hosted runners.`;
}
