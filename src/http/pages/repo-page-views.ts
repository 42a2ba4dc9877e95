/**
 * Everything the repository page shows, for the page and its JSON twin alike: the repository view,
 * the named targets side by side, and the artifact sizes. With named targets, the default branch's
 * recent runs are read once and serve both the page's run-time chart and each target's.
 */
import type { RunFilter } from '../../core/run-filter';
import { dispatchesOfRef } from '../../store/dispatches';
import type { RepoMeta } from '../../store/repos';
import type { HttpDeps } from '../deps';
import { artifactSizesView } from './artifact-sizes-view';
import { targetsView } from './targets-view';
import { repoView } from './view-models';
import { SERIES_POINTS } from './view-models/series';
import type { Paging } from './view-models/shared';

export async function repoPageViews(deps: HttpDeps, meta: RepoMeta, req: { token: string | null; url: string }, paging: Paging, filter: RunFilter) {
  // Every target's runs together (the branch's index has no per-target key): about SERIES_POINTS
  // per target, one Query and one BatchGet at most. Newest first.
  const recentOfTargets = meta.targets
    ? dispatchesOfRef(deps.store, meta.repo, { branch: meta.defaultBranch }, Math.min(100, SERIES_POINTS * meta.targets.names.length))
    : null;
  const [view, targets, artifacts] = await Promise.all([
    repoView(deps, meta, req, paging, filter, recentOfTargets),
    recentOfTargets ? targetsView(deps, meta, meta.private ? req.token : null, recentOfTargets) : null,
    artifactSizesView(deps, meta),
  ]);
  return { view, targets, artifacts };
}
