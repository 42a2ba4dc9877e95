// `npm run register [-- --stack]`: register the GitHub App from app.yml in the browser. Locally the
// credentials go to .env (as the home page's button does); with --stack, to the deployed stack's
// secret, with the stack's WebhookUrl as the App's webhook.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { config } from 'dotenv';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createLogger } from '../log';
import { loadSettings, SettingsError } from '../settings';
import { envOfApp, writeEnvValues } from './register/env-file';
import { hostFromApiUrl } from './register/hosts';
import { saveToStackSecret } from './register/stack-secret';
import { startRegisterServer } from './register/standalone';

config({ quiet: true });

class UsageError extends Error {}

/** The stack's outputs from `cdk deploy --outputs-file cdk-outputs.json` (the first stack in it). */
function stackOutputs(file: string): Record<string, string> {
  if (!existsSync(file)) throw new UsageError(`${file} not found: deploy with \`npx cdk deploy --outputs-file ${file}\`, or pass --webhook-url, --public-url and --secret-id`);
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
  const first = Object.values(all)[0];
  if (!first) throw new UsageError(`${file} holds no stack outputs`);
  return first;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stack: { type: 'boolean' },
      outputs: { type: 'string', default: 'cdk-outputs.json' },
      'webhook-url': { type: 'string' },
      'public-url': { type: 'string' },
      'secret-id': { type: 'string' },
      port: { type: 'string' },
    },
  });
  const settings = loadSettings({ ...process.env, APP_ID: '' });
  const log = createLogger({ level: 'warn' });
  const appYml = readFileSync(fileURLToPath(new URL('../../app.yml', import.meta.url)), 'utf8');
  const port = values.port ? Number(values.port) : settings.port;
  let server;
  if (values.stack) {
    const needsFile = !values['webhook-url'] || !values['public-url'] || !values['secret-id'];
    const out = needsFile ? stackOutputs(values.outputs!) : {};
    const webhookUrl = values['webhook-url'] ?? out.WebhookUrl;
    const publicUrl = values['public-url'] ?? out.PublicUrl;
    const secretId = values['secret-id'] ?? out.SecretName;
    if (!webhookUrl || !publicUrl || !secretId) throw new UsageError('the stack outputs need WebhookUrl, PublicUrl and SecretName');
    const client = new SecretsManagerClient({});
    server = await startRegisterServer({
      host: hostFromApiUrl(settings.githubApiUrl),
      appYml,
      webhookUrl,
      homepage: publicUrl,
      offerChannel: false,
      port,
      log,
      save: async (app) => {
        await saveToStackSecret(client, secretId, app);
        return `Its id, private key and webhook secret are in the stack's secret ${secretId}; the functions pick them up on their next start.`;
      },
    });
  } else {
    const webhookUrl = settings.webhookProxyUrl ?? (settings.publicUrlSet ? `${settings.publicUrl}/api/github/webhooks` : null);
    server = await startRegisterServer({
      host: hostFromApiUrl(settings.githubApiUrl),
      appYml,
      webhookUrl,
      homepage: settings.publicUrlSet ? settings.publicUrl : null,
      offerChannel: true,
      port,
      log,
      save: async (app, extra) => {
        writeEnvValues('.env', envOfApp(app, extra.webhookProxyUrl ?? settings.webhookProxyUrl));
        return 'Its id, private key, webhook secret and client secret are in .env (readable by you only; never commit it). Run npm start.';
      },
    });
  }
  process.stderr.write(`Open ${server.url}/setup in the browser where you are signed in to GitHub.\n`);
  const app = await server.registered;
  process.stderr.write(`Registered ${app.name} (App ${app.appId}). Install it: ${app.htmlUrl}/installations/new\n`);
  // Let the browser receive the success page before the server goes.
  await new Promise((r) => setTimeout(r, 500));
  await server.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof SettingsError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`register failed: ${(err as Error).message}\n`);
    process.exit(2);
  },
);
