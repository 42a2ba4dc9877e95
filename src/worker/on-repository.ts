import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { setRepoVisibility } from '../store/repos';
import type { WorkerDeps } from './deps';

type RepositoryPayload = EmitterWebhookEvent<'repository'>['payload'];

/**
 * `repository.privatized` / `publicized`: the repository's visibility, read by every page, badge
 * and listing from its one META item. Privatized is already closed by the webhook route (its
 * payload says `private: true`); publicized is the only event that opens a private repository
 * again. Repositories never seen stay unknown.
 */
export async function onRepository(deps: WorkerDeps, _deliveryId: string, payload: RepositoryPayload): Promise<void> {
  // Only these two are queued (core/events.ts); no other action may change the visibility.
  if (payload.action !== 'privatized' && payload.action !== 'publicized') return;
  const isPrivate = payload.action === 'privatized';
  const changed = await setRepoVisibility(deps.store, payload.repository.full_name, isPrivate, deps.now());
  deps.log.info(isPrivate ? 'repository made private' : 'repository made public', { repo: payload.repository.full_name, known: changed });
}
