/**
 * The trust rule (README.md, "Slash commands and trust"): whose pull requests run on the hardware without an `/ok-to-test`.
 *
 * `author_association` is a label GitHub computes for display, not a grant: a `COLLABORATOR` may
 * hold only `read`. So a fork is trusted by what its author can actually do in the repository
 * (their permission, asked of GitHub by the worker and passed in here), by name (`trusted_users`),
 * or, when the repository says so (`trust_org_members`, default on as in GitHub Actions and Prow),
 * by organization membership.
 */
import type { Permission, RepoConfig } from './config/schema';

export type TrustDecision = { trusted: true; reason: string } | { trusted: false; reason: string };

export interface TrustFacts {
  base_repo_full_name: string;
  head_repo_full_name: string | null;
  author_login: string;
  author_association: string;
}

type TrustConfig = Pick<RepoConfig, 'trusted_users' | 'trust_org_members'> & {
  commands: Pick<RepoConfig['commands'], 'min_permission'>;
};

/** Associations GitHub gives members of the organization that owns the repository. */
const ORG_ASSOCIATIONS = new Set(['OWNER', 'MEMBER']);

/**
 * A trust decision that the facts settle without asking GitHub for the author's permission. An
 * untrusted reason says why only: the check run puts it after "Waiting for /ok-to-test:".
 */
function settled(pr: TrustFacts, config: TrustConfig): TrustDecision | null {
  // A deleted fork: nobody can say whose code the head commit is.
  if (pr.head_repo_full_name === null)
    return { trusted: false, reason: 'the head repository was deleted' };
  // Repository names are case-insensitive on GitHub.
  if (pr.head_repo_full_name.toLowerCase() === pr.base_repo_full_name.toLowerCase())
    return { trusted: true, reason: 'the head branch is in this repository' };
  const login = pr.author_login.toLowerCase();
  if (login !== '' && config.trusted_users.some((u) => u.toLowerCase() === login))
    return { trusted: true, reason: `@${pr.author_login} is listed in trusted_users` };
  const association = pr.author_association.toUpperCase();
  if (ORG_ASSOCIATIONS.has(association) && config.trust_org_members)
    return {
      trusted: true,
      reason: `@${pr.author_login} is ${association === 'OWNER' ? 'an owner' : 'a member'} of the organization (trust_org_members)`,
    };
  // Collaborators, and organization members when membership alone is not enough: their permission decides.
  if (association === 'COLLABORATOR' || ORG_ASSOCIATIONS.has(association)) return null;
  // Anyone else has no role in the repository that could grant more than read.
  return {
    trusted: false,
    reason: `@${pr.author_login} opened this from a fork and is not a collaborator`,
  };
}

/** Whether `decideTrust` needs the author's repository permission (the worker then asks GitHub). */
export function needsAuthorPermission(pr: TrustFacts, config: TrustConfig): boolean {
  return settled(pr, config) === null;
}

/**
 * `author_permission`: the author's permission on the base repository as GitHub reports it
 * (`GET …/collaborators/{author}/permission`); absent or null when it was not asked, which for an
 * author whose trust depends on it means no permission at all.
 */
export function decideTrust(pr: TrustFacts & { author_permission?: string | null }, config: TrustConfig): TrustDecision {
  const decided = settled(pr, config);
  if (decided) return decided;
  const required = config.commands.min_permission;
  const have = pr.author_permission ?? 'none';
  if (permissionAtLeast(have, required))
    return { trusted: true, reason: `@${pr.author_login} has \`${have.toLowerCase()}\` permission on this repository` };
  const who = ORG_ASSOCIATIONS.has(pr.author_association.toUpperCase())
    ? 'is an organization member (trust_org_members is off)'
    : 'is a collaborator';
  return {
    trusted: false,
    reason: `@${pr.author_login} opened this from a fork and ${who} with \`${have.toLowerCase()}\` permission, below \`${required}\``,
  };
}

/** GitHub's collaborator permission levels, weakest first. */
const PERMISSION_ORDER = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;

export function permissionAtLeast(actual: string, required: Permission): boolean {
  const have = PERMISSION_ORDER.indexOf(actual.toLowerCase() as (typeof PERMISSION_ORDER)[number]);
  // Unknown values (a future role name) grant nothing rather than guess.
  return have >= 0 && have >= PERMISSION_ORDER.indexOf(required);
}
