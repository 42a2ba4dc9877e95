/**
 * The runner pool in the worker: refreshing it from GitHub's runner listings (at most once a
 * minute per repository), keeping it current from job events, and the check run's fleet section.
 */
import { repoParts } from '../core/repo-name';
import { renderFleetSection, type FleetSection } from '../core/routing';
import type { GitHub } from '../github/client';
import { listOrgRunners, listRepoRunners } from '../github/runners';
import type { DispatchItem } from '../store/dispatches';
import type { JobItem } from '../store/jobs';
import { applyJobSighting, getFleet, mergeListings, updateFleet, type FleetItem, type JobSighting } from '../store/runners';
import type { WorkerDeps } from './deps';

/** How long a listing is trusted before the next dispatch asks GitHub again. */
const FLEET_MAX_AGE_MS = 60_000;
/** Without the permission the answer will not change soon: ask again only now and then. */
const FLEET_DENIED_MAX_AGE_MS = 10 * 60_000;

function fleetIsFresh(f: FleetItem | null, now: Date): boolean {
  if (!f?.fetchedAt) return false;
  const denied = f.access.repo !== 'ok' && f.access.org !== 'ok';
  return now.getTime() - Date.parse(f.fetchedAt) < (denied ? FLEET_DENIED_MAX_AGE_MS : FLEET_MAX_AGE_MS);
}

/**
 * The pool of `repo`, listed again when the stored one is older than a minute. Never fails the
 * caller: a GitHub or store error leaves the stored pool (possibly none) and is logged, as the
 * run is dispatched either way.
 */
export async function refreshFleet(deps: WorkerDeps, gh: GitHub, repo: string): Promise<FleetItem | null> {
  const now = deps.now();
  let stored: FleetItem | null = null;
  try {
    stored = await getFleet(deps.store, repo);
    if (fleetIsFresh(stored, now)) return stored;
    const parts = repoParts(repo);
    const [repoList, orgList] = await Promise.all([listRepoRunners(gh, parts), orgRunners(gh, parts.owner, now)]);
    if (!repoList.ok || (!orgList.ok && orgList.status === 403)) {
      deps.log.info('runner listing not permitted', { repo, repoStatus: repoList.ok ? 200 : repoList.status, orgStatus: orgList.ok ? 200 : orgList.status });
    }
    return (await updateFleet(deps.store, repo, (prev) => mergeListings(prev, { repo: repoList, org: orgList }, now), now)) ?? stored;
  } catch (err) {
    deps.log.warn('runner pool refresh failed', { repo, error: err });
    return stored;
  }
}

type OrgListing = Awaited<ReturnType<typeof listOrgRunners>>;
/** Per client (so per installation and GitHub server): an organization's runners, listed once a minute. */
const orgListings = new WeakMap<GitHub, Map<string, { at: number; listing: Promise<OrgListing> }>>();

/** The organization's runners are shared by all its repositories: one listing serves them all. */
function orgRunners(gh: GitHub, org: string, now: Date): Promise<OrgListing> {
  let byOrg = orgListings.get(gh);
  if (!byOrg) orgListings.set(gh, (byOrg = new Map()));
  const key = org.toLowerCase();
  const hit = byOrg.get(key);
  if (hit && now.getTime() - hit.at < FLEET_MAX_AGE_MS) return hit.listing;
  const listing = listOrgRunners(gh, { org });
  byOrg.set(key, { at: now.getTime(), listing });
  listing.catch(() => byOrg!.delete(key));
  return listing;
}

/** A job event named its runner: that runner is online (and busy while the job runs). Never throws. */
export async function noteRunnerOfJob(deps: WorkerDeps, sighting: JobSighting): Promise<void> {
  try {
    await updateFleet(deps.store, sighting.repo, (prev) => applyJobSighting(prev, sighting, deps.now()), deps.now());
  } catch (err) {
    deps.log.warn('runner pool update failed', { repo: sighting.repo, runner: sighting.runnerName, error: err });
  }
}

/** When the dispatch's current attempt started waiting for a runner. */
function waitingSince(d: DispatchItem): string | null {
  return d.attempt > 1 && d.startedAt ? d.startedAt : (d.dispatchedAt ?? d.createdAt);
}

/** The fleet section of the dispatch's check run, from the stored pool (no GitHub call). */
export async function fleetSection(deps: WorkerDeps, d: DispatchItem, jobs: JobItem[]): Promise<FleetSection | null> {
  // A held run waits for /ok-to-test, not for a runner.
  if (d.state === 'awaiting_approval') return null;
  const fleet = await getFleet(deps.store, d.repo).catch(() => null);
  return renderFleetSection({
    labels: d.runnerLabels,
    fleet,
    status: d.state === 'completed' ? 'completed' : d.state === 'in_progress' ? 'in_progress' : 'queued',
    since: waitingSince(d),
    now: deps.now(),
    completedAt: d.completedAt,
    jobs: jobs
      .filter((j) => j.runAttempt === d.attempt)
      .map((j) => ({ name: j.name, status: j.status, runnerName: j.runnerName, startedAt: j.startedAt })),
  });
}
