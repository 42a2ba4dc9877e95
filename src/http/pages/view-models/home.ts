/** `/` and `GET /api/repos`: every public repository. */
import { dispatchesOfRef } from '../../../store/dispatches';
import { refName } from '../../../store/keys';
import { recentJobTimings } from '../../../store/stats';
import { refSmokesOf } from '../../../store/ref-smoke';
import type { RepoMeta } from '../../../store/repos';
import type { HttpDeps } from '../../deps';
import { scopes } from '../../cursors';
import { statusOf, type Tone } from '../format';
import { durationSeries, queueSeries, SERIES_POINTS, type Series } from './series';
import { publicReposPage, repoPath, runPath, trendOf, type Paging, type Trend } from './shared';

export interface RepoCard {
  repo: string;
  defaultBranch: string;
  /** The default branch's newest run as the status badge reads it; null before the first run. */
  latest: (NonNullable<RepoMeta['latest']> & { status: { word: string; tone: Tone }; url: string }) | null;
  lastRunAt: string | null;
  smoke: Trend;
  /** Run time of the default branch's recent completed runs. */
  duration: Series;
  /** Per recent run (any branch or pull request), the longest a job waited for a runner. */
  queue: Series;
  url: string;
  badges: { status: string; smoke: string };
}

/** `/` and `/api/repos`: public repositories only (a private one needs its own token, which a list cannot carry). */
export async function homeView(deps: HttpDeps, paging: Paging): Promise<{ repos: RepoCard[]; cursor: string | null }> {
  const { repos, cursor } = await publicReposPage(deps, scopes.repos(), paging);
  // One BatchGetItem for the pass rates, then per repository one query of its default branch's
  // recent runs and one page of its newest job timings (the sparkline columns).
  const [smokes, recent, timings] = await Promise.all([
    refSmokesOf(
      deps.store,
      repos.map((r) => ({ repo: r.repo, ref: refName({ branch: r.defaultBranch }) })),
    ),
    Promise.all(repos.map((r) => dispatchesOfRef(deps.store, r.repo, { branch: r.defaultBranch }, SERIES_POINTS))),
    Promise.all(repos.map((r) => recentJobTimings(deps.store, r.repo))),
  ]);
  const cards = repos.map((r, i): RepoCard => {
    const latest = r.latest ?? null;
    return {
      repo: r.repo,
      defaultBranch: r.defaultBranch,
      latest: latest ? { ...latest, status: statusOf(latest.state, latest.conclusion), url: runPath(r.repo, latest.dispatchId) } : null,
      lastRunAt: latest?.updatedAt ?? null,
      smoke: trendOf(r.defaultBranch, smokes.get(`${r.repo.toLowerCase()}\0${refName({ branch: r.defaultBranch })}`)),
      duration: durationSeries(recent[i]!),
      queue: queueSeries(timings[i]!),
      url: repoPath(r.repo),
      badges: { status: `/badges/${r.repo}/status.svg`, smoke: `/badges/${r.repo}/smoke.svg` },
    };
  });
  return { repos: cards, cursor };
}

