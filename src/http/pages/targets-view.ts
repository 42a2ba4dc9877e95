/**
 * A repository's named targets side by side on its default branch: each target's latest status,
 * smoke rate and test time against the baseline, with its badges and comparison link, and its
 * trends (pass rate and run time over recent runs). At most two reads per target (its LATEST item,
 * then its run), plus one BatchGet of every target's rolling pass rate and one query of the
 * branch's recent runs for the run times; null for a repository without `targets:`.
 * Callers decide visibility first (../visibility.ts).
 */
import { formatRate } from '../../core/smoke/verdict';
import { getDispatch, type DispatchItem } from '../../store/dispatches';
import { refName } from '../../store/keys';
import { refSmokesOf } from '../../store/ref-smoke';
import { getLatest, type RepoMeta } from '../../store/repos';
import type { HttpDeps } from '../deps';
import { comparePath } from './compare-view';
import { statusOf, type Tone } from './format';
import { durationSeries, type Series } from './view-models/series';
import { runPath, seg, trendOf, type Trend } from './view-models/shared';
import { withToken } from './view-models';

export interface TargetRow {
  name: string;
  baseline: boolean;
  status: { word: string; tone: Tone };
  sha: string | null;
  /** "5/6 (83%)", null without results. */
  smoke: string | null;
  /** Total test time ÷ the baseline's on its latest comparison; null for the baseline or without one. */
  ratio: number | null;
  runUrl: string | null;
  compareUrl: string | null;
  badges: { status: string; smoke: string };
  /** Smoke pass rate of the target's recent runs with results on the default branch, oldest first. */
  trend: Trend;
  /** Start to finish of the target's recent finished runs on the default branch, oldest first. */
  duration: Series;
}

export async function targetsView(
  deps: HttpDeps,
  meta: RepoMeta,
  token: string | null,
  /** The default branch's recent runs of every target, newest first (repo-page-views.ts reads them). */
  recent: Promise<DispatchItem[]>,
): Promise<TargetRow[] | null> {
  const targets = meta.targets;
  if (!targets) return null;
  const badgeBase = `${deps.publicUrl}/badges/${meta.repo.split('/').map(seg).join('/')}`;
  const query = (name: string) => `?target=${seg(name)}${token ? `&token=${seg(token)}` : ''}`;
  const refOf = (name: string) => refName({ branch: meta.defaultBranch, target: name });
  const [smokes, runs] = await Promise.all([
    refSmokesOf(deps.store, targets.names.map((name) => ({ repo: meta.repo, ref: refOf(name) }))),
    recent,
  ]);
  const runsOf = new Map<string, DispatchItem[]>(targets.names.map((name) => [name, []]));
  for (const d of runs) if (d.target) runsOf.get(d.target)?.push(d);
  return Promise.all(
    targets.names.map(async (name): Promise<TargetRow> => {
      const latest = await getLatest(deps.store, meta.repo, meta.defaultBranch, name);
      const run = latest ? await getDispatch(deps.store, meta.repo, latest.dispatchId) : null;
      return {
        name,
        baseline: targets.baseline === name,
        status: latest ? statusOf(latest.state, latest.conclusion) : { word: 'no runs', tone: 'neutral' },
        sha: latest?.sha ?? null,
        smoke: latest?.smoke ? formatRate(latest.smoke) : null,
        ratio: run?.comparison?.ratio ?? null,
        runUrl: latest ? withToken(runPath(meta.repo, latest.dispatchId), token) : null,
        compareUrl: run?.comparison ? withToken(comparePath(meta.repo, run.dispatchId), token) : null,
        badges: { status: `${badgeBase}/status.svg${query(name)}`, smoke: `${badgeBase}/smoke.svg${query(name)}` },
        trend: trendOf(meta.defaultBranch, smokes.get(`${meta.repo.toLowerCase()}\0${refOf(name)}`)),
        duration: durationSeries(runsOf.get(name) ?? []),
      };
    }),
  );
}
