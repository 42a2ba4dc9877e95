/**
 * GitHub's "Re-run all checks" (`check_suite.rerequested`, sent only to the suite's App): runs
 * again the latest dispatch of the suite's commit on each branch or pull request it was run for.
 */
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { dispatchesOfCommit, type DispatchItem } from '../store/dispatches';
import { repoRef, type WorkerDeps } from './deps';
import { ignored } from './outcome';
import { rerunFromButton } from './rerun-buttons';

type CheckSuitePayload = EmitterWebhookEvent<'check_suite'>['payload'];

/** The newest dispatch per branch or pull request, and per target (the list is newest first). */
function latestPerRef(list: DispatchItem[]): DispatchItem[] {
  const seen = new Map<string, DispatchItem>();
  for (const d of list) {
    const key = `${d.target ?? ''}\u0000${d.pr !== null ? `pr:${d.pr}` : `branch:${d.branch ?? ''}`}`;
    if (!seen.has(key)) seen.set(key, d);
  }
  return [...seen.values()];
}

export async function onCheckSuite(deps: WorkerDeps, deliveryId: string, payload: CheckSuitePayload): Promise<void> {
  if (payload.action !== 'rerequested') return;
  const repo = repoRef(payload);
  if (!repo) return;
  const sha = payload.check_suite.head_sha;
  const sources = latestPerRef(await dispatchesOfCommit(deps.store, repo.fullName, sha, 100));
  if (sources.length === 0) {
    ignored(deps, 're-run of a check suite with no run of this app on the commit');
    return;
  }
  await rerunFromButton(deps, { repo, sha, sources, actor: payload.sender?.login ?? null, deliveryId, via: 'GitHub\'s "Re-run all checks"' });
}
