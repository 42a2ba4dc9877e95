// Lambda: the webhook endpoint behind its Function URL — the same Hono routes the local server
// runs, through hono's Lambda adapter. Badges and pages are the web function's.
import { handle } from 'hono/aws-lambda';
import { SqsQueue } from '../queue/sqs';
import { getAppSecrets } from '../secrets/app-secrets';
import { createIngestApp } from '../wiring/ingest-app';
import { log, required, store } from './lambda-env';
import { flushingMetrics } from '../metrics/metrics';

const app = createIngestApp({
  store,
  queue: new SqsQueue({ queueUrl: required('QUEUE_URL') }),
  log,
  webhookSecret: async () => (await getAppSecrets()).webhookSecret,
});

export const handler = flushingMetrics(handle(app));
