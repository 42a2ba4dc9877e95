/** `/` and `GET /api/repos`: every public repository. */
import { refName } from '../../../store/keys';
import { refSmokesOf } from '../../../store/ref-smoke';
import type { RepoMeta } from '../../../store/repos';
import type { HttpDeps } from '../../deps';
import { scopes } from '../../cursors';
import { statusOf, type Tone } from '../format';
import { publicReposPage, repoPath, runPath, trendOf, type Paging, type Trend } from './shared';

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

