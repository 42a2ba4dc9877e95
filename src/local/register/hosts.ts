/**
 * Where a GitHub lives: the web host the browser posts the manifest to, and its REST API. Pure.
 *
 * github.com's API is api.github.com; GitHub Enterprise Server serves it under /api/v3 of the same
 * host. Any other API URL (a local stand-in) is taken to serve both.
 */
export interface GitHubHost {
  web: string;
  api: string;
}

const trim = (u: string) => u.replace(/\/+$/, '');

export function hostFromApiUrl(apiUrl: string): GitHubHost {
  const api = trim(apiUrl);
  if (api === 'https://api.github.com') return { web: 'https://github.com', api };
  const ghes = /^(.*)\/api\/v3$/.exec(api);
  return { web: ghes ? ghes[1]! : api, api };
}

/** A GitHub Enterprise Server host as a user types it (`ghe.example.com` or `https://ghe.example.com/`). */
export function hostFromEnterprise(input: string): GitHubHost {
  const text = input.trim();
  const url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  if (url.pathname !== '/' || url.search || url.hash) throw new Error(`"${input}" is not a host: give only the host, e.g. ghe.example.com`);
  const web = `${url.protocol}//${url.host}`;
  return { web, api: `${web}/api/v3` };
}

/** GitHub's "new App from a manifest" page for a personal account or an organization. */
export function newAppUrl(host: GitHubHost, org: string | null, state: string): string {
  const path = org ? `/organizations/${encodeURIComponent(org)}/settings/apps/new` : '/settings/apps/new';
  return `${host.web}${path}?state=${encodeURIComponent(state)}`;
}
