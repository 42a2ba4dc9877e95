/**
 * One view model per dashboard page, shared by the HTML page and its JSON route (`/api/...`), so
 * what a person sees and what a script reads cannot drift. Each reads the store with a bounded
 * number of requests; callers decide visibility (visibility.ts) before calling.
 */
import { durationSeconds } from '../../core/jobs';
import { statsByLabelSet, type LabelSetStats } from '../../core/percentiles';
import { formatRate } from '../../core/smoke/verdict';
import type { Counts } from '../../core/test-results';
import { currentSmoke, type DispatchSmoke } from '../../store/dispatch-smoke';
import { dispatchesOfWorkflowRuns, getDispatch, listDispatches, type DispatchItem } from '../../store/dispatches';
import type { SmokeReport } from '../../core/smoke/report';
import { listJobs, type JobItem } from '../../store/jobs';
import { dispatchSk, refName, repoKey } from '../../store/keys';
import { refSmokesOf, type RefSmokeItem } from '../../store/ref-smoke';
import { listPublicRepos, REPO_LIST_KEY, type RepoMeta } from '../../store/repos';
import { getRunResult, runResultsOf, type RunResultItem } from '../../store/run-results';
import { fleetView, getFleet } from '../../store/runners';
import { jobTimingsSince, repoStats, STATS_WINDOW_DAYS } from '../../store/stats';
import type { RunOutcomeCode } from '../../store/test-history-codec';
import { testRunsOf } from '../../store/test-runs';
import { listTestSummaries } from '../../store/test-summaries';
import { badgeToken } from '../badge-token';
import { cursorsOf, fits, scopes } from '../cursors';
import type { HttpDeps } from '../deps';
import { runSeconds, statusOf, type Tone } from './format';

interface Paging {
  cursor?: string | null;
  limit?: number;
}

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;
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

const seg = (s: string) => encodeURIComponent(s);
const repoPath = (repo: string) => `/repos/${repo.split('/').map(seg).join('/')}`;
const runPath = (repo: string, dispatchId: string) => `${repoPath(repo)}/runs/${seg(dispatchId)}`;
/** `?token=…` for a private repository's links, so a maintainer who came with the token keeps it. */
export const withToken = (path: string, token: string | null) =>
  token ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : path;

/** GitHub's web origin, taken from a link GitHub gave us (GHES has its own); github.com otherwise. */
function githubWeb(d: { workflowRunUrl: string | null }): string {
  try {
    if (d.workflowRunUrl) return new URL(d.workflowRunUrl).origin;
  } catch {
    // not a URL: fall through
  }
  return 'https://github.com';
}

// ---------------------------------------------------------------------------------------------
// Runs

interface SmokeCounts extends Counts {
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
  /** The named target this run is for (null without `targets:`). */
  target: string | null;
  /** Its comparison with the baseline (./compare-view.ts), once it has one. */
  compareUrl: string | null;
}

function smokeOf(s: DispatchSmoke | null): SmokeCounts | null {
  if (!s?.counts) return null;
  return { ...s.counts, rate: s.rate, rateText: s.rateText };
}

function runRow(d: DispatchItem, now: Date, token: string | null): RunRow {
  return {
    dispatchId: d.dispatchId,
    repo: d.repo,
    sha: d.sha,
    branch: d.branch,
    pr: d.pr,
    trigger: d.trigger,
    actor: d.actor,
    state: d.state,
    conclusion: d.conclusion,
    status: statusOf(d.state, d.conclusion),
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

/** A page of a repository's runs, newest first. */
export async function runsPage(deps: HttpDeps, meta: RepoMeta, token: string | null, paging: Paging) {
  const cursors = await cursorsOf(deps);
  const scope = scopes.runs(meta.repo);
  const after = cursors.open(scope, paging.cursor, fits.table(repoKey(meta.repo), dispatchSk('')));
  const page = await listDispatches(deps.store, meta.repo, { limit: paging.limit ?? DEFAULT_LIMIT, after });
  const now = deps.now();
  return { runs: page.items.map((d) => runRow(d, now, token)), cursor: page.lastKey ? cursors.seal(scope, page.lastKey) : null };
}

/** A page of public repositories, filled from the filtered list (store/repos.ts listPublicRepos). */
async function publicReposPage(deps: HttpDeps, scope: string, paging: Paging) {
  const cursors = await cursorsOf(deps);
  const after = cursors.open(scope, paging.cursor, fits.gsi1(REPO_LIST_KEY));
  const page = await listPublicRepos(deps.store, { limit: paging.limit ?? DEFAULT_LIMIT, after });
  // The list is filtered in the query; checked again here because a leak would be silent.
  return { repos: page.items.filter((r) => r.private === false), cursor: page.lastKey ? cursors.seal(scope, page.lastKey) : null };
}

// ---------------------------------------------------------------------------------------------
// Home: every public repository

interface TrendPoint {
  dispatchId: string;
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

function trendOf(branch: string, item: RefSmokeItem | undefined): Trend {
  const points = [...(item?.runs ?? [])].reverse().map((r) => {
    const ran = r.counts.total - r.counts.skipped;
    return { dispatchId: r.dispatchId, sha: r.sha, passed: r.counts.passed, ran, rate: ran > 0 ? r.counts.passed / ran : null };
  });
  return { branch, rate: item?.rollingRate ?? null, runs: item?.rollingRuns ?? 0, points };
}

export interface RepoCard {
  repo: string;
  defaultBranch: string;
  /** The default branch's newest run as the status badge reads it; null before the first run. */
  latest: (NonNullable<RepoMeta['latest']> & { status: { word: string; tone: Tone }; url: string }) | null;
  lastRunAt: string | null;
  smoke: Trend;
  url: string;
  badges: { status: string; smoke: string };
}

/** `/` and `/api/repos`: public repositories only (a private one needs its own token, which a list cannot carry). */
export async function homeView(deps: HttpDeps, paging: Paging): Promise<{ repos: RepoCard[]; cursor: string | null }> {
  const { repos, cursor } = await publicReposPage(deps, scopes.repos(), paging);
  const smokes = await refSmokesOf(
    deps.store,
    repos.map((r) => ({ repo: r.repo, ref: refName({ branch: r.defaultBranch }) })),
  );
  const cards = repos.map((r): RepoCard => {
    const latest = r.latest ?? null;
    return {
      repo: r.repo,
      defaultBranch: r.defaultBranch,
      latest: latest ? { ...latest, status: statusOf(latest.state, latest.conclusion), url: runPath(r.repo, latest.dispatchId) } : null,
      lastRunAt: latest?.updatedAt ?? null,
      smoke: trendOf(r.defaultBranch, smokes.get(`${r.repo.toLowerCase()}\0${refName({ branch: r.defaultBranch })}`)),
      url: repoPath(r.repo),
      badges: { status: `/badges/${r.repo}/status.svg`, smoke: `/badges/${r.repo}/smoke.svg` },
    };
  });
  return { repos: cards, cursor };
}

// ---------------------------------------------------------------------------------------------
// One repository

interface FlakyTest {
  id: string;
  name: string;
  passRate: number | null;
  runs: number;
  lastOutcome: string;
  lastFlakySha: string | null;
  lastFlakyAt: string | null;
}

export interface RepoView {
  repo: string;
  defaultBranch: string;
  private: boolean;
  url: string;
  badge: { status: string; smoke: string; markdown: string };
  runs: RunRow[];
  cursor: string | null;
  /** The default branch first, then other branches seen in this page of runs (at most 4 in all). */
  trends: Trend[];
  /** Tests that passed and failed on the same commit within the default branch's recent runs. */
  flaky: FlakyTest[];
  /** Queue time (dispatch → job start) and job duration per runner-label set over the last 7 days, as `/api/repos/{o}/{r}/stats`. */
  queue: LabelSetStats[];
}

const MAX_TRENDS = 4;
const FLAKY_SCAN = 100;

export async function repoView(
  deps: HttpDeps,
  meta: RepoMeta,
  req: { token: string | null; url: string },
  paging: Paging,
): Promise<RepoView> {
  const token = meta.private ? req.token : null;
  const base = deps.publicUrl ?? new URL(req.url).origin;
  const secret = meta.private ? await deps.badgeSecret() : null;
  const badgeQuery = secret ? `?token=${badgeToken(secret, meta.repo)}` : '';
  const page = `${base}${withToken(repoPath(meta.repo), secret ? badgeToken(secret, meta.repo) : null)}`;
  const status = `${base}/badges/${meta.repo}/status.svg${badgeQuery}`;
  const smoke = `${base}/badges/${meta.repo}/smoke.svg${badgeQuery}`;

  const { runs, cursor } = await runsPage(deps, meta, token, paging);
  const branches = [meta.defaultBranch];
  for (const r of runs) if (!r.pr && r.branch && !branches.includes(r.branch) && branches.length < MAX_TRENDS) branches.push(r.branch);
  const [smokes, tests, stats] = await Promise.all([
    refSmokesOf(deps.store, branches.map((b) => ({ repo: meta.repo, ref: refName({ branch: b }) }))),
    listTestSummaries(deps.store, meta.repo, refName({ branch: meta.defaultBranch }), { limit: FLAKY_SCAN }),
    repoStats(deps.store, meta.repo, deps.now()),
  ]);
  return {
    repo: meta.repo,
    defaultBranch: meta.defaultBranch,
    private: meta.private,
    url: withToken(repoPath(meta.repo), token),
    badge: {
      status,
      smoke,
      markdown: `[![arm64 status](${status})](${page}) [![smoke tests](${smoke})](${page})`,
    },
    runs,
    cursor,
    trends: branches.map((b) => trendOf(b, smokes.get(`${meta.repo.toLowerCase()}\0${refName({ branch: b })}`))),
    flaky: tests.items
      .filter((t) => t.flaky)
      .map((t) => ({
        id: t.testId,
        name: t.name,
        passRate: t.passRate,
        runs: t.runs,
        lastOutcome: t.lastOutcome,
        lastFlakySha: t.lastFlakySha,
        lastFlakyAt: t.lastFlakyAt,
      })),
    queue: stats.labelSets,
  };
}

// ---------------------------------------------------------------------------------------------
// One run

interface JobRow {
  jobId: number;
  name: string;
  matrix: string[];
  attempt: number;
  status: { word: string; tone: Tone };
  conclusion: string | null;
  runnerName: string | null;
  labels: string[];
  /** Waiting for a runner: created → started. */
  queueSeconds: number | null;
  durationSeconds: number | null;
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  url: string | null;
}

const WAITING = new Set(['queued', 'waiting', 'requested', 'pending']);

function jobRow(j: JobItem, now: Date): JobRow {
  // GitHub reports started_at = created_at while a job waits: only a started job has a start.
  const waiting = WAITING.has(j.status);
  return {
    jobId: j.jobId,
    name: j.name,
    matrix: j.matrix,
    attempt: j.runAttempt,
    status: statusOf(j.status, j.conclusion),
    conclusion: j.conclusion,
    runnerName: j.runnerName,
    labels: j.labels,
    queueSeconds: durationSeconds(j.createdAt, waiting ? now.toISOString() : j.startedAt),
    durationSeconds: waiting ? null : runSeconds(j.startedAt, j.completedAt, now),
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    completedAt: j.completedAt,
    url: j.htmlUrl,
  };
}

type TestOutcome = 'failed' | 'errored' | 'mixed' | 'passed' | 'skipped';

export interface RunTest {
  id: string | null;
  name: string;
  outcome: TestOutcome;
  /** Passed and failed on this commit (across files or attempts). */
  flaky: boolean;
}

const OUTCOME_OF_CODE: Record<RunOutcomeCode, TestOutcome> = { F: 'failed', E: 'errored', X: 'mixed', P: 'passed', S: 'skipped' };
// Failing first: what a reader of a red run looks for.
const RANK: Record<TestOutcome, number> = { failed: 0, errored: 1, mixed: 2, passed: 3, skipped: 4 };

export interface RunView {
  repo: string;
  run: RunRow;
  links: {
    commit: string;
    ref: string;
    workflowRun: string | null;
    /** The check run on GitHub, where its summary is shown in full. */
    checkRun: string | null;
    repo: string;
  };
  jobs: JobRow[];
  smoke:
    | (SmokeCounts & {
        attempt: number;
        rule: string;
        minPassRate: number;
        flaky: number;
        /** The smoke section of the check-run summary, as posted to GitHub. */
        markdown: string | null;
        /** The same section as data (what the run page shows); null for results stored before it was kept. */
        report: SmokeReport | null;
      })
    | null;
  /** This page of the run's tracked tests, failing first, then by name. */
  tests: RunTest[];
  testsTotal: number;
  /** More tests than were tracked for this run (only the totals know them all). */
  testsTruncated: boolean;
  cursor: string | null;
}


/** The attempt whose results the run shows: the current attempt's, else the newest collected. */
async function resultOf(deps: HttpDeps, d: DispatchItem): Promise<RunResultItem | null> {
  const smoke = currentSmoke(d);
  if (smoke) return getRunResult(deps.store, d.dispatchId, smoke.attempt);
  const all = await runResultsOf(deps.store, d.dispatchId);
  return all[all.length - 1] ?? null;
}

export async function runView(
  deps: HttpDeps,
  meta: RepoMeta,
  dispatchId: string,
  token: string | null,
  paging: Paging,
): Promise<RunView | null> {
  const d = await getDispatch(deps.store, meta.repo, dispatchId);
  if (!d) return null;
  const cursors = await cursorsOf(deps);
  const scope = scopes.runTests(meta.repo, d.dispatchId);
  const offset = cursors.open(scope, paging.cursor, fits.offset) ?? 0;
  const now = deps.now();
  const [jobs, result] = await Promise.all([listJobs(deps.store, d.dispatchId), resultOf(deps, d)]);
  const hashes = Object.keys(result?.outcomes ?? {});
  // Names live with each test's run record: one batch read per 100 tests (at most 1,000 are tracked).
  const records = result ? await testRunsOf(deps.store, { repo: meta.repo, dispatchId: d.dispatchId, attempt: result.attempt }, hashes) : new Map();
  const flakyNames = new Set((result?.flaky ?? []).map((f) => f.hash));
  const all: RunTest[] = hashes
    .map((h) => {
      const rec = records.get(h);
      return {
        id: rec?.testId ?? null,
        name: rec?.name ?? `test ${h}`,
        outcome: OUTCOME_OF_CODE[result!.outcomes[h]!] ?? 'skipped',
        flaky: rec?.flaky ?? flakyNames.has(h),
      };
    })
    .sort((a, b) => RANK[a.outcome] - RANK[b.outcome] || a.name.localeCompare(b.name));
  const limit = paging.limit ?? MAX_LIMIT;
  const web = githubWeb(d);
  const smoke = currentSmoke(d);
  const counts = result?.counts ?? smoke?.counts ?? null;
  return {
    repo: meta.repo,
    run: runRow(d, now, meta.private ? token : null),
    links: {
      commit: `${web}/${meta.repo}/commit/${d.sha}`,
      ref: d.pr ? `${web}/${meta.repo}/pull/${d.pr}` : `${web}/${meta.repo}/tree/${(d.branch ?? '').split('/').map(seg).join('/')}`,
      workflowRun: d.workflowRunUrl,
      checkRun: d.checkRunId ? `${web}/${meta.repo}/runs/${d.checkRunId}` : null,
      repo: withToken(repoPath(meta.repo), meta.private ? token : null),
    },
    jobs: jobs.map((j) => jobRow(j, now)),
    smoke:
      result || smoke
        ? {
            passed: counts?.passed ?? 0,
            failed: counts?.failed ?? 0,
            errored: counts?.errored ?? 0,
            skipped: counts?.skipped ?? 0,
            total: counts?.total ?? 0,
            rate: result?.rate ?? smoke?.rate ?? null,
            rateText: smoke?.rateText ?? (counts ? formatRate(counts) : null),
            attempt: result?.attempt ?? smoke!.attempt,
            rule: result?.rule ?? smoke!.rule,
            minPassRate: smoke?.minPassRate ?? 1,
            flaky: result?.flaky.length ?? smoke?.flaky ?? 0,
            markdown: result?.markdown ?? null,
            report: result?.report ?? null,
          }
        : null,
    tests: all.slice(offset, offset + limit),
    testsTotal: all.length,
    testsTruncated: result?.truncated ?? false,
    cursor: offset + limit < all.length ? cursors.seal(scope, offset + limit) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The runner fleet

export interface RunnerRow {
  name: string;
  labels: string[];
  /** null: not known (seen only in job events; the runner listing was not readable). */
  status: 'online' | 'offline' | null;
  busy: boolean | null;
  source: 'repo' | 'org' | 'job';
  /** The repositories (of those listed) whose pool has this runner. */
  repos: string[];
  lastJob: { repo: string; name: string; status: { word: string; tone: Tone }; at: string; url: string | null } | null;
}

export interface RunnersView {
  /** Each listed public repository's pool, exactly as `GET /api/runners` gives it. */
  repos: ReturnType<typeof fleetView>[];
  cursor: string | null;
  /** The same runners once each (an organization runner serves many repositories), most recently seen first. */
  runners: RunnerRow[];
  /** Queue time (dispatch → job start) and job duration per label set, last 7 days, over the listed repositories. */
  queue: LabelSetStats[];
}

/**
 * `/runners` and `GET /api/runners`: the runner pools of a page of public repositories (the fleet
 * store, kept current by runner listings and job events), merged per runner, and their queue times.
 * A runner's last job is shown only when it ran in one of these (public) repositories.
 */
export async function runnersView(deps: HttpDeps, paging: Paging): Promise<RunnersView> {
  const now = deps.now();
  const { repos, cursor } = await publicReposPage(deps, scopes.runners(), paging);
  const [fleets, timings] = await Promise.all([
    Promise.all(repos.map((r) => getFleet(deps.store, r.repo))),
    Promise.all(repos.map((r) => jobTimingsSince(deps.store, r.repo, new Date(now.getTime() - STATS_WINDOW_DAYS * 86_400_000)))),
  ]);
  const listed = new Set(repos.map((r) => r.repo.toLowerCase()));
  const runIds = fleets.flatMap((f) => f?.runners.flatMap((r) => (r.lastJob ? [r.lastJob.runId] : [])) ?? []);
  const pointers = runIds.length ? await dispatchesOfWorkflowRuns(deps.store, runIds) : new Map();
  const byName = new Map<string, RunnerRow & { seenAt: string }>();
  for (const f of fleets) {
    if (!f) continue;
    for (const r of f.runners) {
      const key = r.name.toLowerCase();
      const job =
        r.lastJob && listed.has(r.lastJob.repo.toLowerCase())
          ? {
              repo: r.lastJob.repo,
              name: r.lastJob.name,
              status: statusOf(r.lastJob.status, r.lastJob.conclusion),
              at: r.lastJob.at,
              url: pointers.has(r.lastJob.runId) ? runPath(pointers.get(r.lastJob.runId)!.repo, pointers.get(r.lastJob.runId)!.dispatchId) : null,
            }
          : null;
      const prev = byName.get(key);
      // A listing (repo or org) knows the runner's state; a job sighting only that it exists. Newer wins within a kind.
      const better = !prev || (prev.source === 'job' && r.source !== 'job') || ((prev.source === 'job') === (r.source === 'job') && r.seenAt > prev.seenAt);
      const base = better
        ? { name: r.name, labels: r.labels, status: r.status, busy: r.busy, source: r.source, seenAt: r.seenAt }
        : prev!;
      const lastJob = [prev?.lastJob ?? null, job].filter((j) => j !== null).sort((a, b) => (a!.at < b!.at ? 1 : -1))[0] ?? null;
      byName.set(key, { ...base, repos: [...(prev?.repos ?? []), f.repo], lastJob });
    }
  }
  const runners = [...byName.values()]
    .sort((a, b) => (a.seenAt < b.seenAt ? 1 : a.seenAt > b.seenAt ? -1 : a.name.localeCompare(b.name)))
    .map(({ seenAt, ...r }) => r);
  const samples = timings.flat().map((t) => ({ labels: t.labels, queueSeconds: t.queueSeconds ?? null, durationSeconds: t.durationSeconds ?? null }));
  return {
    repos: fleets.flatMap((f) => (f ? [fleetView(f)] : [])),
    cursor,
    runners,
    queue: statsByLabelSet(samples),
  };
}
