/**
 * A completed run's artifact sizes: recorded for its ref, and rendered against the base branch's
 * latest run of the same target (a warning above `artifacts.max_growth`) for the check-run summary.
 */
import { artifactGrowth, DEFAULT_MAX_GROWTH, renderArtifactSizes } from '../core/compare/artifacts';
import type { Artifact } from '../github/artifacts';
import type { GitHub } from '../github/client';
import type { ReportedRun } from '../github/workflow-runs';
import { latestArtifactSizes, putArtifactSizes } from '../store/artifact-sizes';
import type { DispatchItem } from '../store/dispatches';
import { refName } from '../store/keys';
import { baseBranchOf } from './base-branch';
import type { RepoRef, WorkerDeps } from './deps';

/** The artifact table's share of the check-run summary. */
const ARTIFACT_SIZES_MAX_BYTES = 6_000;

/** Records the name and size of every artifact of the run and renders the comparison; "" when the run has no artifacts. */
export async function artifactSizes(
  deps: WorkerDeps,
  gh: GitHub,
  d: DispatchItem,
  a: { run: ReportedRun; repo: RepoRef; all: Artifact[]; ref: string; ttl: number; maxGrowth?: number; now: Date },
): Promise<string> {
  // An expired artifact's size is still listed, but it no longer exists: it is not this run's output any more.
  const sizes = a.all.filter((x) => !x.expired).map((x) => ({ name: x.name, sizeBytes: x.size_in_bytes }));
  if (sizes.length === 0) return '';
  await putArtifactSizes(deps.store, {
    repo: d.repo,
    ref: a.ref,
    dispatchId: d.dispatchId,
    attempt: d.attempt,
    sha: d.sha,
    sizes,
    createdAt: a.now.toISOString(),
    ttl: a.ttl,
  });
  const branch = await baseBranchOf(gh, d, a.run, a.repo);
  const base = await latestArtifactSizes(deps.store, d.repo, refName({ branch, target: d.target }), d.dispatchId);
  const report = artifactGrowth(sizes, base?.sizes ?? null, a.maxGrowth ?? DEFAULT_MAX_GROWTH);
  const label = base ? `${branch} (${base.sha.slice(0, 7)})` : branch;
  return renderArtifactSizes(report, { base: label }, { maxBytes: ARTIFACT_SIZES_MAX_BYTES });
}
