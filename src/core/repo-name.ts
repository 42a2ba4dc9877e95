/** `owner/name` → the two parts GitHub's REST paths take (`{owner}/{repo}`); missing parts are empty. */
export function repoParts(fullName: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = fullName.split('/');
  return { owner, repo };
}

/** GitHub's logins are ≤ 39 characters and repository names ≤ 100, of these characters (`_` for managed users). */
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** `owner/name` when both parts could be a GitHub repository's, else null (answered as unknown: 404). */
export function repoName(owner: string | undefined, name: string | undefined): string | null {
  if (!owner || !name || !NAME.test(owner) || !NAME.test(name) || name === '.' || name === '..') return null;
  return `${owner}/${name}`;
}

/** `?repo=owner/name` in one string. */
export function repoNameOf(full: string | undefined): string | null {
  const parts = (full ?? '').split('/');
  return parts.length === 2 ? repoName(parts[0], parts[1]) : null;
}
