/**
 * What the dashboard's view models share: paging, links, a run as lists show it, smoke trends.
 * One view model per page lives beside this file (home.ts, repo.ts, run.ts, runners.ts), each
 * shared by the HTML page and its JSON route (`/api/...`), so what a person sees and what a script
 * reads cannot drift. Each reads the store with a bounded number of requests; callers decide
 * visibility (../../visibility.ts) before calling.
 */
import type { Counts } from '../../../core/test-results';
import { currentSmoke, type DispatchSmoke } from '../../../store/dispatch-smoke';
import { runOrigin, type DispatchItem } from '../../../store/dispatches';
import type { RefSmokeItem } from '../../../store/ref-smoke';
import { listPublicRepos, REPO_LIST_KEY } from '../../../store/repos';
import { cursorsOf, fits, scopes } from '../../cursors';
import type { HttpDeps } from '../../deps';
import { runSeconds, statusOf, type Tone } from '../format';
import { dispatchedAt } from './series';

export interface Paging {
  cursor?: string | null;
  limit?: number;
}

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;
/** `?limit=` as given, kept within 1..100; missing or not a number → the default. */
export function limitOf(v: string | undefined, fallback = DEFAULT_LIMIT): number {
  const n = Math.floor(Number(v));
  if (v === undefined || v.trim() === '' || !Number.isFinite(n)) return fallback;
  return Math.min(MAX_LIMIT, Math.max(1, n));
}

/**
 * Cursors are sealed positions (../cursors.ts): opened only for the listing that issued them, so a
 * forged, edited, stale or borrowed one is a 400 before the store is asked anything.
 */


// ---------------------------------------------------------------------------------------------
// Links

export const seg = (s: string) => encodeURIComponent(s);
export const repoPath = (repo: string) => `/repos/${repo.split('/').map(seg).join('/')}`;
export const runPath = (repo: string, dispatchId: string) => `${repoPath(repo)}/runs/${seg(dispatchId)}`;
/** `?token=…` for a private repository's links, so a maintainer who came with the token keeps it. */
export const withToken = (path: string, token: string | null) =>
  token ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : path;

/** GitHub's web origin, taken from a link GitHub gave us (GHES has its own); github.com otherwise. */
export function githubWeb(d: { workflowRunUrl: string | null }): string {
  try {
    if (d.workflowRunUrl) return new URL(d.workflowRunUrl).origin;
  } catch {
    // not a URL: fall through
  }
  return 'https://github.com';
}

// ---------------------------------------------------------------------------------------------
// Runs

export interface SmokeCounts extends Counts {
  /** "5/6 (83%)", or null without data. */
  rateText: string | null;
  rate: number | null;
}

/** A run as lists show it; storage keys and bookkeeping fields removed. */
export interface RunRow {
  dispatchId: string;
  repo: string;
  sha: string;
  branch: string | null;
  pr: number | null;
  trigger: string;
  actor: string | null;
  state: string;
  conclusion: string | null;
  status: { word: string; tone: Tone };
  attempt: number;
  workflow: string;
  runnerLabels: string[];
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  /** Run time (start to finish, or so far); null before it started. */
  durationSeconds: number | null;
  smoke: SmokeCounts | null;
  workflowRunId: number | null;
  workflowRunUrl: string | null;
  checkRunId: number | null;
  notes: string[];
  /** The dashboard page of this run (with the token for a private repository). */
  url: string;
  /** The named target this run is for (null without `targets:`; the run filter calls that `default`). */
  target: string | null;
  /** Its comparison with the baseline (../compare-view.ts), once it has one. */
  compareUrl: string | null;
}

export function smokeOf(s: DispatchSmoke | null): SmokeCounts | null {
  if (!s?.counts) return null;
  return { ...s.counts, rate: s.rate, rateText: s.rateText };
}

/**
 * A run's pill. A held run that was approved ends `neutral` on GitHub (a completed check run cannot
 * go back to queued); here it says what happened: it was approved and another run took over.
 */
function runStatus(d: DispatchItem): { word: string; tone: Tone } {
  if (d.state === 'completed' && d.conclusion === 'neutral' && d.heldAt) return { word: 'approved, run anew', tone: 'neutral' };
  return statusOf(d.state, d.conclusion);
}

/**
 * The attributes of a stored dispatch that a listed run needs: its row (runRow, with runStatus's
 * `heldAt`, currentSmoke's `smoke` and a comparison's presence), the run filters (core/run-filter.ts),
 * the duration chart (series.ts) and the ref-index key (repo.ts). A listing reads only these: a
 * dispatch also carries its check run's last text, the comparison's Markdown and its settings.
 */
export const ROW_FIELDS = [
  'pk',
  'sk',
  'dispatchId',
  'repo',
  'sha',
  'branch',
  'pr',
  'trigger',
  'actor',
  'state',
  'conclusion',
  'heldAt',
  'attempt',
  'workflow',
  'runnerLabels',
  'createdAt',
  'startedAt',
  'completedAt',
  'smoke',
  'workflowRunId',
  'workflowRunUrl',
  'checkRunId',
  'notes',
  'target',
  'comparison.baselineDispatchId',
  'gsi2pk',
] as const;

export function runRow(d: DispatchItem, now: Date, token: string | null): RunRow {
  return {
    dispatchId: d.dispatchId,
    ...runOrigin(d),
    state: d.state,
    conclusion: d.conclusion,
    status: runStatus(d),
    attempt: d.attempt,
    workflow: d.workflow,
    runnerLabels: d.runnerLabels,
    createdAt: d.createdAt,
    startedAt: d.startedAt,
    completedAt: d.completedAt,
    durationSeconds: runSeconds(d.startedAt, d.completedAt, now),
    smoke: smokeOf(currentSmoke(d)),
    workflowRunId: d.workflowRunId,
    workflowRunUrl: d.workflowRunUrl,
    checkRunId: d.checkRunId,
    notes: d.notes,
    url: withToken(runPath(d.repo, d.dispatchId), token),
    target: d.target ?? null,
    compareUrl: d.comparison ? withToken(`${runPath(d.repo, d.dispatchId)}/compare`, token) : null,
  };
}

/** A page of public repositories, filled from the filtered list (store/repos.ts listPublicRepos). */
export async function publicReposPage(deps: HttpDeps, scope: string, paging: Paging) {
  const cursors = await cursorsOf(deps);
  const after = cursors.open(scope, paging.cursor, fits.gsi1(REPO_LIST_KEY));
  const page = await listPublicRepos(deps.store, { limit: paging.limit ?? DEFAULT_LIMIT, after });
  // The list is filtered in the query; checked again here because a leak would be silent.
  return { repos: page.items.filter((r) => r.private === false), cursor: page.lastKey ? cursors.seal(scope, page.lastKey) : null };
}

// ---------------------------------------------------------------------------------------------
// Smoke trends (home cards, repository charts)

export interface TrendPoint {
  dispatchId: string;
  /** When the run was dispatched (ISO), for the chart's tooltip; null for an id that is not a ULID. */
  at: string | null;
  sha: string;
  passed: number;
  /** Tests that ran (skips excluded). */
  ran: number;
  rate: number | null;
}

export interface Trend {
  branch: string;
  /** Rolling pass rate over `runs` runs. */
  rate: number | null;
  runs: number;
  /** Oldest first, at most 20 (the rolling window). */
  points: TrendPoint[];
}

export function trendOf(branch: string, item: RefSmokeItem | undefined): Trend {
  const points = [...(item?.runs ?? [])].reverse().map((r) => {
    const ran = r.counts.total - r.counts.skipped;
    return { dispatchId: r.dispatchId, at: dispatchedAt(r.dispatchId), sha: r.sha, passed: r.counts.passed, ran, rate: ran > 0 ? r.counts.passed / ran : null };
  });
  return { branch, rate: item?.rollingRate ?? null, runs: item?.rollingRuns ?? 0, points };
}
