import { metrics } from '../metrics/metrics';
import { queryAll } from '../store/dynamo';
import { REPO_LIST_KEY } from '../store/repos';
import { GSI } from '../store/schema';
import type { ScheduledPass } from './pass';

/**
 * Counts the repositories the App is installed on, as a metric (`InstalledRepositories`): the
 * "no webhook accepted for hours" alarm only means something while there are repositories to send
 * them (infra/observability.ts).
 */
export function installedReposPass(): ScheduledPass {
  return {
    name: 'installed-repos',
    run: async (deps) => {
      const repos = await queryAll<{ installed?: boolean }>(deps.store, {
        index: GSI.byCommit.name,
        where: `${GSI.byCommit.partitionKey} = :k`,
        filter: '#installed = :yes',
        names: { '#installed': 'installed' },
        values: { ':k': REPO_LIST_KEY, ':yes': true },
      });
      metrics.gauge('installedRepositories', repos.length);
      return { installed: repos.length };
    },
  };
}
