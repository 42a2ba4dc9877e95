/** `/repos/{owner}/{repo}` and `GET /api/repos/{owner}/{repo}`: one repository. */
import { statsByLabelSet, type LabelSetStats } from '../../../core/percentiles';
import { isEmptyFilter, type RunFilter } from '../../../core/run-filter';
import { dispatchesOfRef, type DispatchItem } from '../../../store/dispatches';
import { refIndexKey, refName } from '../../../store/keys';
import { refSmokesOf } from '../../../store/ref-smoke';
import type { RepoMeta } from '../../../store/repos';
import { jobTimingsSince, STATS_WINDOW_DAYS } from '../../../store/stats';
import { durationSeries, queueSeries, SERIES_POINTS, type Series } from './series';
import { getStanding, refTests } from '../../../store/test-standing';
import { DEFAULT_TARGET } from '../../../core/default-target';
import { badgeToken } from '../../badge-token';
import type { HttpDeps } from '../../deps';
import { dispatchPage, type DispatchPage } from './runs';
import { repoPath, runRow, trendOf, withToken, type Paging, type RunRow, type Trend } from './shared';

interface FlakyTest {
  /** The named target it is flaky on; absent for a repository without `targets:`. */
  target?: string;
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
  /** The run filter applied to `runs` (core/run-filter.ts); `{}` for all runs. */
  filter: RunFilter;
  /**
   * The target the pass-rate trends, flaky tests and run-time chart follow: with named targets, the
   * one the plain badge shows (each target's own trends are under `targets`); null without them.
   */
  target: string | null;
  /** The default branch first, then other branches seen in this page of runs (at most 4 in all). */
  trends: Trend[];
  /** Tests that passed and failed on the same commit within the default branch's recent runs (of every target). */
  flaky: FlakyTest[];
  /** Queue time (dispatch → job start) and job duration per runner-label set over the last 7 days, as `/api/repos/{o}/{r}/stats`. */
  queue: LabelSetStats[];
  /** Run time of the default branch's recent completed runs, oldest first (the duration chart). */
  duration: Series;
  /** Per run of the last 7 days, the longest a job waited for a runner, oldest first (the queue-time chart). */
  queueTrend: Series;
}

const MAX_TRENDS = 4;

export async function repoView(
  deps: HttpDeps,
  meta: RepoMeta,
  req: { token: string | null; url: string },
  paging: Paging,
  filter: RunFilter = {},
  /** With named targets: the default branch's recent runs of every target (repo-page-views.ts reads them). */
  recentOfTargets: Promise<DispatchItem[]> | null,
): Promise<RepoView> {
  const token = meta.private ? req.token : null;
  const base = deps.publicUrl ?? new URL(req.url).origin;
  const secret = meta.private ? await deps.badgeSecret() : null;
  const badgeQuery = secret ? `?token=${badgeToken(secret, meta.repo)}` : '';
  const page = `${base}${withToken(repoPath(meta.repo), secret ? badgeToken(secret, meta.repo) : null)}`;
  const status = `${base}/badges/${meta.repo}/status.svg${badgeQuery}`;
  const smoke = `${base}/badges/${meta.repo}/smoke.svg${badgeQuery}`;

  const listed = await dispatchPage(deps, meta, paging, filter);
  const { cursor } = listed;
  const now = deps.now();
  const runs = listed.items.map((d) => runRow(d, now, token));
  const branches = [meta.defaultBranch];
  for (const r of runs) if (!r.pr && r.branch && !branches.includes(r.branch) && branches.length < MAX_TRENDS) branches.push(r.branch);
  const since = new Date(deps.now().getTime() - STATS_WINDOW_DAYS * 86_400_000);
  // Results of a named target are kept under its own refs: the page follows one target, not a mix.
  const target = meta.targets?.badge ?? null;
  const refOf = (branch: string) => refName({ branch, target });
  // Flaky tests of every target: a test flaky on one pool only is what a user looks for.
  const standingsOf = (meta.targets?.names ?? [null]).map((name) =>
    getStanding(deps.store, { repo: meta.repo, target: name ?? DEFAULT_TARGET, ref: refName({ branch: meta.defaultBranch, target: name }) }, { consistent: false }).then(
      (standing) => ({ name, standing }),
    ),
  );
  const [smokes, standings, timings, recent] = await Promise.all([
    refSmokesOf(deps.store, branches.map((b) => ({ repo: meta.repo, ref: refOf(b) }))),
    Promise.all(standingsOf),
    // One read of the 7-day timings serves both the percentiles and the chart.
    jobTimingsSince(deps.store, meta.repo, since),
    recentOfTargets
      ? recentOfTargets.then((all) => all.filter((d) => d.target === target))
      : (recentOfDefaultBranch(listed, meta, paging, filter) ?? dispatchesOfRef(deps.store, meta.repo, { branch: meta.defaultBranch }, SERIES_POINTS)),
  ]);
  const shas = new Map([...recent, ...runs].map((d) => [d.dispatchId, d.sha]));
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
    filter,
    target,
    trends: branches.map((b) => trendOf(b, smokes.get(`${meta.repo.toLowerCase()}\0${refOf(b)}`))),
    flaky: standings.flatMap(({ name, standing }) =>
      (standing ? refTests(standing) : [])
        .filter((t) => t.flaky)
        .map((t) => ({
          ...(name ? { target: name } : {}),
          id: t.id,
          name: t.name,
          passRate: t.passRate,
          runs: t.runs,
          lastOutcome: t.lastOutcome,
          lastFlakySha: t.lastFlakySha,
          lastFlakyAt: t.lastFlakyAt,
        })),
    ),
    queue: statsByLabelSet(timings.map((t) => ({ labels: t.labels, queueSeconds: t.queueSeconds ?? null, durationSeconds: t.durationSeconds ?? null }))),
    duration: durationSeries(recent),
    queueTrend: queueSeries(timings, (id) => shas.get(id) ?? null),
  };
}

/**
 * The default branch's newest SERIES_POINTS runs (the duration chart) when the first page of all
 * runs already holds them: it lists the newest runs of every ref, so its default-branch runs are
 * the newest ones of that branch, all of them when the page is the whole history or at least
 * SERIES_POINTS of them. Otherwise null, and the ref index is read (a Query then one read per
 * run): a repository page then costs the same store reads whatever its history.
 */
function recentOfDefaultBranch(listed: DispatchPage, meta: RepoMeta, paging: Paging, filter: RunFilter): DispatchItem[] | null {
  if (paging.cursor || !isEmptyFilter(filter)) return null;
  // What the index is keyed on (store/dispatches.ts dispatchesOfRef), so the same runs.
  const key = refIndexKey(meta.repo, { branch: meta.defaultBranch });
  const onBranch = listed.items.filter((d) => d.gsi2pk === key);
  if (listed.cursor !== null && onBranch.length < SERIES_POINTS) return null;
  return onBranch.slice(0, SERIES_POINTS);
}
