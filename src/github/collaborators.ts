import type { GitHub } from './client';
import { httpStatus } from './client';
import { conditionalGet } from './conditional';

/** GitHub's repository roles, weakest first (custom roles are mapped onto these by their base flags). */
type RepoPermission = 'none' | 'read' | 'triage' | 'write' | 'maintain' | 'admin';

type PermissionAnswer = {
  permission?: string;
  role_name?: string;
  user?: { permissions?: { admin?: boolean; maintain?: boolean; push?: boolean; triage?: boolean; pull?: boolean } } | null;
};

/**
 * A user's permission on a repository. The legacy `permission` field folds `maintain` into
 * `write` and `triage` into `read`, and `role_name` can be a custom role's name, so the
 * per-capability flags decide when GitHub sends them. 404 (no such user, or a private
 * repository they cannot see) means no permission at all.
 */
export async function getPermission(
  gh: GitHub,
  p: { owner: string; repo: string; username: string },
): Promise<RepoPermission> {
  let data: PermissionAnswer;
  try {
    // Conditional: an unchanged permission costs a 304, not counted (./conditional.ts).
    data = (await conditionalGet(gh, 'GET /repos/{owner}/{repo}/collaborators/{username}/permission', p)) as PermissionAnswer;
  } catch (err) {
    if (httpStatus(err) === 404) return 'none';
    throw err;
  }
  const f = data.user?.permissions;
  if (f) {
    if (f.admin) return 'admin';
    if (f.maintain) return 'maintain';
    if (f.push) return 'write';
    if (f.triage) return 'triage';
    if (f.pull) return 'read';
    return 'none';
  }
  const named = (data.role_name ?? data.permission ?? 'none').toLowerCase();
  return (['admin', 'maintain', 'write', 'triage', 'read'] as const).find((x) => x === named) ?? 'none';
}
