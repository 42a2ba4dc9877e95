/**
 * Everything the repository page shows, for the page and its JSON twin alike: the repository view,
 * the named targets side by side, and the artifact sizes. With named targets, the default branch's
 * recent runs are read once and serve both the page's run-time chart and each target's.
 */
import type { RunFilter } from '../../core/run-filter';
import type { RepoMeta } from '../../store/repos';
import type { HttpDeps } from '../deps';
import { artifactSizesView } from './artifact-sizes-view';
import { targetsView } from './targets-view';
import { repoView } from './view-models';
import { recentRunsOfTargets, type Paging } from './view-models/shared';

export async function repoPageViews(deps: HttpDeps, meta: RepoMeta, req: { token: string | null; url: string }, paging: Paging, filter: RunFilter) {
  const recent = meta.targets ? recentRunsOfTargets(deps, meta, meta.targets.names.length) : undefined;
  const [view, targets, artifacts] = await Promise.all([
    repoView(deps, meta, req, paging, filter, recent),
    targetsView(deps, meta, meta.private ? req.token : null, recent),
    artifactSizesView(deps, meta),
  ]);
  return { view, targets, artifacts };
}
