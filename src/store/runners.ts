import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FleetAccess, RunnerView } from '../core/routing';
import type { ListedRunner, RunnerListing } from '../github/runners';
import type { StoreContext } from './dynamo';
import { getItem, ifCondition } from './dynamo';
import { repoKey } from './keys';

/**
 * The runner pool of a repository (its own and its organization's self-hosted runners), one item
 * per repository: what the runner listings said at `fetchedAt`, kept current between listings by
 * `workflow_job` events (which runner took which job). Read on every check-run render and by
 * `GET /api/runners`; written at most once a minute from the API, and on job start and end.
 */
interface FleetRunner extends RunnerView {
  id: number | null;
  os: string | null;
  seenAt: string;
  lastJob: { id: number; runId: number; name: string; status: string; conclusion: string | null; repo: string; at: string } | null;
}

export interface FleetItem {
  pk: string;
  sk: 'FLEET';
  type: 'fleet';
  repo: string;
  runners: FleetRunner[];
  access: FleetAccess;
  /** Last time the runner listings were asked for (successfully or not). */
  fetchedAt: string | null;
  /** More runners than one listing reads (500): the rest are left out. */
  truncated: boolean;
  version: number;
  updatedAt: string;
}

/** One item must stay well under DynamoDB's 400 KB. */
const MAX_RUNNERS = 500;
/** Runners known only from job events are forgotten after a week without one. */
const JOB_ONLY_DAYS = 7;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function emptyFleet(repo: string, now: Date): FleetItem {
  return {
    pk: repoKey(repo),
    sk: 'FLEET',
    type: 'fleet',
    repo,
    runners: [],
    access: { repo: 'unknown', org: 'unknown' },
    fetchedAt: null,
    truncated: false,
    version: 0,
    updatedAt: now.toISOString(),
  };
}

/**
 * The pool after a listing: listed runners replace what the same listing said before (keeping the
 * last job each one ran); a listing that failed leaves its runners known only as "seen in a job"
 * when they ran one, since their status can no longer be vouched for; runners known only from job
 * events stay for a week. `org` null: the owner is not an organization. Pure.
 */
export function mergeListings(
  prev: FleetItem,
  listings: { repo: RunnerListing; org: RunnerListing },
  now: Date,
): FleetItem {
  const at = now.toISOString();
  const previous = (name: string) => prev.runners.find((r) => same(r.name, name));
  const listed = (source: 'repo' | 'org', runners: ListedRunner[]): FleetRunner[] =>
    runners.map((r) => ({
      name: r.name,
      labels: r.labels,
      status: r.status,
      busy: r.busy,
      source,
      id: r.id,
      os: r.os,
      seenAt: at,
      lastJob: previous(r.name)?.lastJob ?? null,
    }));
  const fresh = [
    ...(listings.repo.ok ? listed('repo', listings.repo.runners) : []),
    ...(listings.org.ok ? listed('org', listings.org.runners) : []),
  ];
  const cutoff = now.getTime() - JOB_ONLY_DAYS * 86_400_000;
  const kept = prev.runners
    .filter((r) => !fresh.some((f) => same(f.name, r.name)))
    // A runner a working listing no longer shows was removed; a failed listing proves nothing.
    .filter((r) => r.source === 'job' || !(r.source === 'repo' ? listings.repo.ok : listings.org.ok))
    .filter((r) => r.lastJob !== null && Date.parse(r.lastJob.at) >= cutoff)
    .map((r) => ({ ...r, source: 'job' as const, status: null, busy: null }));
  const access: FleetAccess = {
    repo: listings.repo.ok ? 'ok' : 'denied',
    // 404 from the organization route: a personal account (GitHub answers 403 for a missing permission).
    org: listings.org.ok ? 'ok' : listings.org.status === 404 ? 'not_org' : 'denied',
  };
  const truncated = (listings.repo.ok && listings.repo.truncated) || (listings.org.ok && listings.org.truncated);
  return { ...prev, runners: [...fresh, ...kept].slice(0, MAX_RUNNERS), access, fetchedAt: at, truncated, updatedAt: at };
}

export interface JobSighting {
  runnerName: string;
  /** The job's `runs-on` labels: a runner that took it carries at least these. */
  labels: string[];
  jobId: number;
  runId: number;
  name: string;
  status: string;
  conclusion: string | null;
  repo: string;
}

/** The pool after a job event named the runner that took the job. Pure. */
export function applyJobSighting(prev: FleetItem, job: JobSighting, now: Date): FleetItem {
  const at = now.toISOString();
  const running = job.status === 'in_progress';
  const lastJob = { id: job.jobId, runId: job.runId, name: job.name, status: job.status, conclusion: job.conclusion, repo: job.repo, at };
  const i = prev.runners.findIndex((r) => same(r.name, job.runnerName));
  const runners = [...prev.runners];
  if (i >= 0) {
    const r = runners[i]!;
    runners[i] = {
      ...r,
      // Taking a job proves it online; its labels from a listing are the full set, a job's only a subset.
      status: r.source === 'job' ? null : running ? 'online' : r.status,
      busy: r.source === 'job' ? null : running,
      labels: r.source === 'job' ? mergeLabels(r.labels, job.labels) : r.labels,
      seenAt: at,
      lastJob,
    };
  } else {
    runners.unshift({
      name: job.runnerName,
      labels: mergeLabels([], job.labels),
      status: null,
      busy: null,
      source: 'job',
      id: null,
      os: null,
      seenAt: at,
      lastJob,
    });
  }
  return { ...prev, runners: runners.slice(0, MAX_RUNNERS), updatedAt: at };
}

function mergeLabels(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const l of b) if (!out.some((x) => same(x, l))) out.push(l);
  return out;
}

export async function getFleet(ctx: StoreContext, repo: string): Promise<FleetItem | null> {
  return getItem<FleetItem>(ctx, { pk: repoKey(repo), sk: 'FLEET' }, { consistent: false });
}

/**
 * Read, change, write back if nobody wrote in between (version check); a few tries. Writers of one
 * repository's pool are its worker events, which the queue already runs one at a time, so a
 * conflict is rare; losing one sighting after three would only make the pool a little stale.
 */
export async function updateFleet(
  ctx: StoreContext,
  repo: string,
  change: (prev: FleetItem) => FleetItem,
  now: Date,
): Promise<FleetItem | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const prev = (await getFleet(ctx, repo)) ?? emptyFleet(repo, now);
    const next: FleetItem = { ...change(prev), version: prev.version + 1 };
    const written = await ifCondition(
      ctx.doc.send(
        new PutCommand({
          TableName: ctx.table,
          Item: next,
          ConditionExpression: prev.version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(prev.version === 0 ? {} : { ExpressionAttributeValues: { ':v': prev.version } }),
        }),
      ),
    );
    if (written) return next;
  }
  return null;
}

/** The pool as readers see it (no storage keys). */
export function fleetView(f: FleetItem) {
  return {
    repo: f.repo,
    fetchedAt: f.fetchedAt,
    access: f.access,
    truncated: f.truncated,
    runners: f.runners.map((r) => ({
      name: r.name,
      labels: r.labels,
      status: r.status ?? 'unknown',
      busy: r.busy,
      source: r.source,
      os: r.os,
      seenAt: r.seenAt,
      lastJob: r.lastJob,
    })),
  };
}
