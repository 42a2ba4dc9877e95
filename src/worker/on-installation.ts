import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { upsertRepo } from '../store/repos';
import type { WorkerDeps } from './deps';

type InstallationPayload = EmitterWebhookEvent<'installation'>['payload'];
type InstallationReposPayload = EmitterWebhookEvent<'installation_repositories'>['payload'];

/** GitHub's schema leaves both open in some actions' lists: a nameless entry is skipped, an unknown visibility is private. */
interface ListedRepo {
  full_name?: string | null;
  private?: boolean | null;
}

/**
 * Remembers which repositories the App can see, so the dashboard lists them before their first
 * run. Installation payloads carry no default branch: the first push or pull request fills it in.
 */
export async function onInstallation(
  deps: WorkerDeps,
  _deliveryId: string,
  payload: InstallationPayload | InstallationReposPayload,
  event: 'installation' | 'installation_repositories',
): Promise<void> {
  const installationId = payload.installation.id;
  const added: ListedRepo[] = [];
  const removed: ListedRepo[] = [];
  if (event === 'installation') {
    const p = payload as InstallationPayload;
    const repos = (p.repositories ?? []) as ListedRepo[];
    if (p.action === 'created' || p.action === 'unsuspend' || p.action === 'new_permissions_accepted') added.push(...repos);
    else removed.push(...repos);
  } else {
    const p = payload as InstallationReposPayload;
    added.push(...((p.repositories_added ?? []) as ListedRepo[]));
    removed.push(...((p.repositories_removed ?? []) as ListedRepo[]));
  }
  const now = deps.now();
  const record = async (repos: ListedRepo[], installed: boolean) => {
    for (const r of repos) {
      if (!r.full_name) continue;
      await upsertRepo(deps.store, { repo: r.full_name, private: r.private ?? true, defaultBranch: 'main', installationId: installed ? installationId : null, installed, now, keepDefaultBranch: true });
    }
  };
  await record(added, true);
  await record(removed, false);
  deps.log.info('installation updated', { installationId, added: added.length, removed: removed.length });
}
