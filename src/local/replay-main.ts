// `npm run replay -- <file.json | directory | --delivery <id> | --failed --since 24h>`: sends what
// GitHub sent (or would send) through the webhook route of a running server, signed with its secret.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { parseArgs } from 'node:util';
import { config } from 'dotenv';
import { createGitHubClients } from '../github/client';
import { createLogger } from '../log';
import { loadSettings, SettingsError } from '../settings';
import { fetchDelivery, fetchFailedSince, parseDuration } from './replay/github';
import { outcomeTable, replay } from './replay/run';
import { readDeliveries, ReplayInputError, type Delivery } from './replay/sources';

const USAGE = `usage: npm run replay -- <file.json | directory>...      deliveries from files (GitHub's Recent Deliveries or @octokit/webhooks-examples shapes)
       npm run replay -- --delivery <id>               one delivery from the App's delivery log on GitHub
       npm run replay -- --failed --since 24h          every delivery of the last 24 h that never got a 2xx
options: --url <webhook URL>   default http://HOST:PORT/api/github/webhooks of the local server
         --wait <seconds>      how long to wait for the worker's outcomes (default 30)`;

config({ quiet: true });

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      delivery: { type: 'string' },
      failed: { type: 'boolean' },
      since: { type: 'string' },
      url: { type: 'string' },
      wait: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const settings = loadSettings(process.env);
  const url = values.url ?? `http://${settings.host}:${settings.port}/api/github/webhooks`;
  let deliveries: Delivery[];
  if (values.delivery !== undefined || values.failed) {
    if (!settings.appId || !settings.privateKey) throw new ReplayInputError('--delivery and --failed read the App\'s delivery log: set APP_ID and PRIVATE_KEY (or register the App: npm start)');
    const app = createGitHubClients({ appId: settings.appId, privateKey: settings.privateKey, baseUrl: settings.githubApiUrl, log: createLogger({ level: 'error' }) }).app.octokit;
    if (values.delivery !== undefined) {
      if (!/^\d+$/.test(values.delivery)) throw new ReplayInputError(`--delivery takes the numeric id GitHub shows for a delivery, got "${values.delivery}"`);
      deliveries = [await fetchDelivery(app, Number(values.delivery))];
    } else {
      const since = parseDuration(values.since ?? '24h');
      if (since === undefined) throw new ReplayInputError(`--since takes a duration such as 24h, 90m or 3d, got "${values.since}"`);
      deliveries = await fetchFailedSince(app, since);
    }
  } else {
    if (positionals.length === 0) throw new ReplayInputError(USAGE);
    deliveries = readDeliveries(positionals);
  }
  if (deliveries.length === 0) {
    process.stdout.write('nothing to replay\n');
    return 0;
  }
  const wait = values.wait !== undefined ? Number(values.wait) : 30;
  if (!Number.isFinite(wait) || wait < 0) throw new ReplayInputError(`--wait takes seconds, got "${values.wait}"`);
  const sent = await replay(deliveries, { url, secret: settings.webhookSecret, progress: process.stderr, workerWaitMs: wait * 1000 });
  process.stdout.write(`${outcomeTable(sent)}\n`);
  return sent.some((s) => s.outcome === 'rejected') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ReplayInputError || err instanceof SettingsError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`replay failed: ${(err as { status?: number }).status ? `GitHub answered ${(err as { status: number }).status}: ` : ''}${(err as Error).message}\n`);
    process.exit(2);
  },
);
