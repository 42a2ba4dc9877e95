/** The contract's trust rule: whose pull requests run on the hardware without an `/ok-to-test`. */
import type { Permission, RepoConfig } from './config';

export type TrustDecision = { trusted: true; reason: string } | { trusted: false; reason: string };

/** Associations GitHub gives people who already have a say in the repository. */
const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export function decideTrust(
  pr: {
    base_repo_full_name: string;
    head_repo_full_name: string | null;
    author_login: string;
    author_association: string;
  },
  config: Pick<RepoConfig, 'trusted_users'>,
): TrustDecision {
  // A deleted fork: nobody can say whose code the head commit is.
  if (pr.head_repo_full_name === null)
    return { trusted: false, reason: 'the head repository was deleted; waiting for /ok-to-test' };
  // Repository names are case-insensitive on GitHub.
  if (pr.head_repo_full_name.toLowerCase() === pr.base_repo_full_name.toLowerCase())
    return { trusted: true, reason: 'the head branch is in this repository' };
  const association = pr.author_association.toUpperCase();
  if (TRUSTED_ASSOCIATIONS.has(association))
    return { trusted: true, reason: `@${pr.author_login} is a ${association.toLowerCase()} of this repository` };
  const login = pr.author_login.toLowerCase();
  if (config.trusted_users.some((u) => u.toLowerCase() === login))
    return { trusted: true, reason: `@${pr.author_login} is listed in trusted_users` };
  return {
    trusted: false,
    reason: `@${pr.author_login} opened this from a fork and is not a collaborator; waiting for /ok-to-test`,
  };
}

/** GitHub's collaborator permission levels, weakest first. */
const PERMISSION_ORDER = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;

export function permissionAtLeast(actual: string, required: Permission): boolean {
  const have = PERMISSION_ORDER.indexOf(actual.toLowerCase() as (typeof PERMISSION_ORDER)[number]);
  // Unknown values (a future role name) grant nothing rather than guess.
  return have >= 0 && have >= PERMISSION_ORDER.indexOf(required);
}
