// Lambda: the SQS worker — the same processing the local in-process queue runs.
import type { QueueMessage } from '../queue/queue';
import { createWorker } from '../wiring/worker';
import { getAppSecrets } from '../secrets/app-secrets';
import { PoisonMessageError } from '../worker/process';
import { githubApiUrl, githubRateLimitReserve, log, publicUrl, store } from './lambda-env';
import { sqsBatchHandler } from './sqs-batch';
import { flushingMetrics, metrics } from '../metrics/metrics';

let worker: Promise<ReturnType<typeof createWorker>> | undefined;

// Built on first use: the App's key comes from Secrets Manager, once per cold start.
function getWorker() {
  worker ??= getAppSecrets()
    .then((s) =>
      createWorker({
        store,
        log,
        publicUrl: publicUrl ?? '',
        github: { appId: s.appId, privateKey: s.privateKey, baseUrl: githubApiUrl, log, rateLimitReserve: githubRateLimitReserve },
      }),
    )
    .catch((err: unknown) => {
      worker = undefined;
      throw err;
    });
  return worker;
}

async function processOne(message: QueueMessage): Promise<void> {
  try {
    await (await getWorker()).process(message);
  } catch (err) {
    // It would fail the same way on every receive: log it and let SQS delete it.
    if (err instanceof PoisonMessageError) {
      metrics.count('poisonMessages');
      log.error('poison message dropped', { deliveryId: message.deliveryId, event: message.event, repository: message.groupId, error: err });
      return;
    }
    throw err;
  }
}

export const handler = flushingMetrics(sqsBatchHandler(processOne, log));
