/**
 * `npm run register -- --stack`: the same manifest flow, with the stack's WebhookUrl as the App's
 * webhook and its credentials stored in the stack's secret (Secrets Manager, spoken to by the real
 * SDK client), keeping what the secret held and in the shape the functions read.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { startGitHubStandIn, type GitHubStandIn } from '@arm64-ci/github-sim';
import { createLogger } from '../src/log';
import { hostFromApiUrl } from '../src/local/register/hosts';
import { saveToStackSecret } from '../src/local/register/stack-secret';
import { startRegisterServer, type Standalone } from '../src/local/register/standalone';
import { parseAppSecrets } from '../src/secrets/app-secrets';
import { awsError, startAwsJsonServer, type AwsJsonServer } from './support/aws-json-server';

let gh: GitHubStandIn;
let aws: AwsJsonServer;
let reg: Standalone;

afterEach(async () => {
  await reg?.close();
  await gh?.close();
  await aws?.close();
});

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

it('registers the App for the stack: webhook to the stack, credentials merged into its secret', async () => {
  let stored = JSON.stringify({ appId: '', privateKey: '', webhookSecret: 'generated-by-cloudformation', badgeSecret: 'kept' });
  aws = await startAwsJsonServer('application/x-amz-json-1.1', ({ target, body }) => {
    if (body.SecretId !== 'AppSecret-abc') return awsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if (target === 'secretsmanager.GetSecretValue') return { body: { Name: 'AppSecret-abc', SecretString: stored, VersionId: 'v1' } };
    if (target === 'secretsmanager.PutSecretValue') {
      stored = String(body.SecretString);
      return { body: { Name: 'AppSecret-abc', VersionId: 'v2' } };
    }
    return awsError(400, 'InvalidRequestException', 'unexpected call');
  });
  const client = new SecretsManagerClient({ region: 'us-east-1', endpoint: aws.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, maxAttempts: 1 });
  gh = await startGitHubStandIn({});
  reg = await startRegisterServer({
    host: hostFromApiUrl(gh.url),
    appYml: readFileSync('app.yml', 'utf8'),
    webhookUrl: 'https://ingest.lambda-url.us-east-1.on.aws/api/github/webhooks',
    homepage: 'https://web.lambda-url.us-east-1.on.aws',
    offerChannel: false,
    port: 0,
    log: createLogger({ level: 'error', write: () => {} }),
    save: async (app) => {
      await saveToStackSecret(client, 'AppSecret-abc', app);
      return 'stored in the stack secret';
    },
  });

  const page = await (await fetch(`${reg.url}/setup/manifest`, { method: 'POST', body: new URLSearchParams({ account: 'user' }) })).text();
  expect(page).not.toContain('smee');
  const action = unescape(/action="([^"]+)"/.exec(page.slice(page.indexOf('id="to-github"') - 10))![1]!);
  const manifest = JSON.parse(unescape(/name="manifest" value="([^"]*)"/.exec(page)![1]!));
  expect(manifest.hook_attributes.url).toBe('https://ingest.lambda-url.us-east-1.on.aws/api/github/webhooks');
  expect(manifest.url).toBe('https://web.lambda-url.us-east-1.on.aws');
  const atGitHub = await fetch(action, { method: 'POST', body: new URLSearchParams({ manifest: JSON.stringify(manifest) }), redirect: 'manual' });
  const back = await fetch(atGitHub.headers.get('location')!);
  expect(back.status).toBe(200);
  const app = await reg.registered;

  const secret = parseAppSecrets(stored, 'AppSecret-abc');
  expect(secret).toEqual({ appId: String(gh.state.app!.id), privateKey: app.privateKey.trim() + '\n', webhookSecret: gh.webhookSecret, badgeSecret: 'kept' });
  expect(aws.requests.map((r) => r.target)).toEqual(['secretsmanager.GetSecretValue', 'secretsmanager.PutSecretValue']);
});
