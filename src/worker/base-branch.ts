/**
 * The branch a run is compared with (base diff, slowdowns, artifact sizes): the stored base (pull
 * request, merge queue), the pull request's, or the default branch for a push.
 */
import { httpStatus, type GitHub } from '../github/client';
import { conditionalGet } from '../github/conditional';
import type { ReportedRun } from '../github/workflow-runs';
import type { DispatchItem } from '../store/dispatches';
import type { RepoRef } from './deps';

export async function baseBranchOf(gh: GitHub, d: DispatchItem, run: ReportedRun, repo: RepoRef): Promise<string> {
  if (d.prBase) return d.prBase;
  return d.pr ? pullBaseBranch(gh, d, run, repo) : repo.defaultBranch;
}

/**
 * The base stored with the dispatch (from the pull_request event), else the one the event names
 * (dispatched runs usually list no pull requests), else one conditional request, else the default branch.
 */
async function pullBaseBranch(gh: GitHub, d: DispatchItem, run: ReportedRun, repo: RepoRef): Promise<string> {
  if (d.prBase) return d.prBase;
  const listed = run.pull_requests?.find((p) => p?.number === d.pr)?.base.ref;
  if (listed) return listed;
  try {
    const pull = await conditionalGet(gh, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: repo.owner, repo: repo.name, pull_number: d.pr! });
    return pull.base.ref;
  } catch (err) {
    if (httpStatus(err) !== 404) throw err;
    return repo.defaultBranch;
  }
}
