// Lambda: the webhook endpoint behind its Function URL — the same Hono routes the local server
// runs, through hono's Lambda adapter. Badges and pages are the web function's.
//
// The store, the queue and the secret are reached through ./ingest-aws.ts rather than the AWS SDK
// (why: that file's header); everything else is the shared code (src/http/webhook-route.ts).
import { handle } from 'hono/aws-lambda';
import { createWebhookApp } from '../http/webhook-app';
import { flushingMetrics } from '../metrics/metrics';
import { createSecretsLoader } from '../secrets/app-secrets-parse';
import { DEFAULT_TABLE_NAME } from '../store/schema';
import { awsJsonOptionsFromEnv, createAwsJsonClient } from './ingest-aws';
import { sqsJsonQueue } from './ingest-queue';
import { dynamoWebhookStore } from './ingest-store';
import { log, required } from './lambda-log';

const aws = awsJsonOptionsFromEnv();
const client = createAwsJsonClient(aws);
const queueUrl = required('QUEUE_URL');
// SECRET_ARN is read at the first delivery, as the other functions read it (getAppSecrets).
let secrets: ReturnType<typeof createSecretsLoader> | undefined;
const appSecrets = () =>
  (secrets ??= createSecretsLoader(required('SECRET_ARN'), async (SecretId) => {
    const answer = await client.call<{ SecretString?: string }>('secretsmanager', 'GetSecretValue', { SecretId });
    return answer.SecretString;
  }))();

const app = createWebhookApp({
  intake: dynamoWebhookStore(client, process.env.TABLE_NAME || DEFAULT_TABLE_NAME),
  queue: sqsJsonQueue(client, queueUrl, aws.endpoints?.sqs),
  log,
  now: () => new Date(),
  webhookSecret: async () => (await appSecrets()).webhookSecret,
});

export const handler = flushingMetrics(handle(app));
