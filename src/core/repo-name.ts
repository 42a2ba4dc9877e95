/** `owner/name` → the two parts GitHub's REST paths take (`{owner}/{repo}`); missing parts are empty. */
export function repoParts(fullName: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = fullName.split('/');
  return { owner, repo };
}
