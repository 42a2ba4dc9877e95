// Lambda: the webhook endpoint (and badges, pages, API) behind the Function URL — the same Hono
// app the local server runs, through hono's Lambda adapter.
import { handle } from 'hono/aws-lambda';
import { SqsQueue } from '../queue/sqs';
import { createApp } from '../wiring/app';
import { getAppSecrets } from '../secrets/app-secrets';
import { log, publicUrl, required, store } from './lambda-env';

const app = createApp({
  store,
  queue: new SqsQueue({ queueUrl: required('QUEUE_URL') }),
  log,
  webhookSecret: async () => (await getAppSecrets()).webhookSecret,
  badgeSecret: async () => (await getAppSecrets()).badgeSecret ?? null,
  publicUrl,
});

export const handler = handle(app);
