/**
 * A repository's named targets side by side on its default branch: each target's latest status,
 * smoke rate and test time against the baseline, with its badges and comparison link. At most two
 * reads per target (its LATEST item, then its run); null for a repository without `targets:`.
 * Callers decide visibility first (../visibility.ts).
 */
import { formatRate } from '../../core/smoke/verdict';
import { getDispatch } from '../../store/dispatches';
import { getLatest, type RepoMeta } from '../../store/repos';
import type { HttpDeps } from '../deps';
import { comparePath } from './compare-view';
import { statusOf, type Tone } from './format';
import { runPath, seg } from './view-models/shared';
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
}

export async function targetsView(deps: HttpDeps, meta: RepoMeta, token: string | null): Promise<TargetRow[] | null> {
  const targets = meta.targets;
  if (!targets) return null;
  const badgeBase = `${deps.publicUrl}/badges/${meta.repo.split('/').map(seg).join('/')}`;
  const query = (name: string) => `?target=${seg(name)}${token ? `&token=${seg(token)}` : ''}`;
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
      };
    }),
  );
}
