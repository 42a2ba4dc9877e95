/**
 * Artifact sizes over time on the default branch (the wheel, the Docker image tarball): one series
 * per artifact, oldest run first, from store/artifact-sizes.ts in one query. With named targets,
 * the default badge target's runs. Callers decide visibility first (../visibility.ts).
 */
import { listArtifactSizes } from '../../store/artifact-sizes';
import { refName } from '../../store/keys';
import type { RepoMeta } from '../../store/repos';
import type { HttpDeps } from '../deps';

/** Runs per chart, and artifacts charted (the largest now). */
const RUNS = 30;
const SERIES = 6;

export interface ArtifactSeries {
  name: string;
  /** Oldest first; `bytes` null for a run without the artifact. */
  points: { sha: string; bytes: number | null }[];
}

export interface ArtifactSizesView {
  branch: string;
  target: string | null;
  series: ArtifactSeries[];
}

export async function artifactSizesView(deps: HttpDeps, meta: RepoMeta): Promise<ArtifactSizesView> {
  const target = meta.targets?.badge ?? null;
  const runs = (await listArtifactSizes(deps.store, meta.repo, refName({ branch: meta.defaultBranch, target }), RUNS)).reverse();
  const latest = runs.at(-1);
  const names = [...new Set(runs.flatMap((r) => r.sizes.map((s) => s.name)))]
    .map((name) => ({ name, now: latest?.sizes.find((s) => s.name === name)?.sizeBytes ?? -1 }))
    .sort((a, b) => b.now - a.now || a.name.localeCompare(b.name))
    .slice(0, SERIES);
  return {
    branch: meta.defaultBranch,
    target,
    series: names.map(({ name }) => ({
      name,
      points: runs.map((r) => ({ sha: r.sha, bytes: r.sizes.find((s) => s.name === name)?.sizeBytes ?? null })),
    })),
  };
}
