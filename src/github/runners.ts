import type { components } from '@octokit/openapi-types';
import type { GitHub } from './client';
import { httpStatus } from './client';
import { conditionalGet } from './conditional';

type ApiRunner = components['schemas']['runner'];

export interface ListedRunner {
  id: number;
  name: string;
  os: string;
  status: 'online' | 'offline';
  busy: boolean;
  labels: string[];
}

/**
 * A runner listing, or why there is none. 403: the App lacks the permission (repository runners
 * need `administration: read`, organization runners `organization_self_hosted_runners: read`);
 * 404: not an organization (a personal account), or the permission is missing on GitHub
 * Enterprise Server, which hides the route. Neither is an error: the fleet is then partly unknown.
 */
export type RunnerListing = { ok: true; runners: ListedRunner[]; truncated: boolean } | { ok: false; status: 403 | 404 };

/** Enough for any fleet we would show; more are left out (and `truncated` says so). */
const MAX_PAGES = 5;

const toRunner = (r: ApiRunner): ListedRunner => ({
  id: r.id,
  name: r.name,
  os: r.os,
  status: r.status === 'online' ? 'online' : 'offline',
  busy: r.busy,
  labels: r.labels.map((l) => l.name),
});

async function list(gh: GitHub, route: string, params: Record<string, unknown>): Promise<RunnerListing> {
  const runners: ListedRunner[] = [];
  try {
    for (let page = 1; page <= MAX_PAGES; page++) {
      // Conditional: an unchanged pool costs a 304, which GitHub does not count (./conditional.ts).
      const data = await conditionalGet(gh, route as 'GET /repos/{owner}/{repo}/actions/runners', { ...params, per_page: 100, page } as never);
      const batch = (data as { runners: ApiRunner[]; total_count: number }).runners;
      runners.push(...batch.map(toRunner));
      if (batch.length < 100) return { ok: true, runners, truncated: false };
    }
    return { ok: true, runners, truncated: true };
  } catch (err) {
    const status = httpStatus(err);
    if (status === 403 || status === 404) return { ok: false, status };
    throw err;
  }
}

export const listRepoRunners = (gh: GitHub, p: { owner: string; repo: string }) =>
  list(gh, 'GET /repos/{owner}/{repo}/actions/runners', { owner: p.owner, repo: p.repo });

export const listOrgRunners = (gh: GitHub, p: { org: string }) => list(gh, 'GET /orgs/{org}/actions/runners', { org: p.org });
