/**
 * The worker's SQS side: turns a batch of queue records into QueueMessages, hands each to the
 * same processing the local in-process queue uses, and tells SQS which records failed so that
 * only those are received again (the event source has ReportBatchItemFailures on).
 *
 * The queue is FIFO with the repository as message group. When a message fails, the later
 * messages of its group in this batch are not attempted and are reported as failed too: SQS
 * then hands the group back in its original order, as the local queue keeps it.
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
// A namespace import lets esbuild tree-shake zod/mini; `import { z }` pulls in all of zod (~420 KB).
import * as z from 'zod/mini';
import { createLogger, type Logger } from '../log';
import type { QueueMessage } from '../queue/queue';

/** The app's logger (src/log.ts) fits; only these two levels are used. */
export type SqsBatchLog = Pick<Logger, 'warn' | 'error'>;

const text = () => z.string().check(z.minLength(1));
const queueMessage = z.object({
  deliveryId: text(),
  event: text(),
  payload: z.string(),
  receivedAt: text(),
  groupId: text(),
});

type Parsed = { ok: true; message: QueueMessage } | { ok: false; reason: string };

function parseRecord(record: SQSRecord): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = queueMessage.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
    return { ok: false, reason: `body is not a queue message (bad or missing: ${fields.join(', ')})` };
  }
  return { ok: true, message: parsed.data };
}

export function sqsBatchHandler(
  processMessage: (message: QueueMessage) => Promise<void>,
  log: SqsBatchLog = createLogger(),
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    const failedGroups = new Set<string>();
    // One at a time: a batch is small (the stack caps it), and in order, which FIFO requires.
    for (const record of event.Records) {
      const parsed = parseRecord(record);
      // The SQS attribute is authoritative on a FIFO queue; the body's copy covers the rest.
      const group = record.attributes.MessageGroupId ?? (parsed.ok ? parsed.message.groupId : undefined);
      if (group !== undefined && failedGroups.has(group)) {
        batchItemFailures.push({ itemIdentifier: record.messageId });
        log.warn('queue message held back behind a failed message of its group', {
          messageId: record.messageId,
          groupId: group,
        });
        continue;
      }
      if (!parsed.ok) {
        // Not reported as a failure, so SQS deletes it: the same bytes can never parse on a
        // later receive, and retrying would only cycle it into the dead-letter queue and page
        // someone. The log line keeps what is needed to find it. The body is not logged: it
        // is a whole webhook payload.
        log.warn('dropping a queue record that is not a valid queue message', {
          messageId: record.messageId,
          reason: parsed.reason,
          bodyBytes: Buffer.byteLength(record.body, 'utf8'),
        });
        continue;
      }
      const { message } = parsed;
      try {
        await processMessage(message);
      } catch (error) {
        batchItemFailures.push({ itemIdentifier: record.messageId });
        if (group !== undefined) failedGroups.add(group);
        log.error('queue message failed; SQS will deliver it again', {
          messageId: record.messageId,
          deliveryId: message.deliveryId,
          event: message.event,
          // The delivery's correlation key (the queue groups by repository, lower-cased).
          ...(message.groupId.startsWith('installation:') ? {} : { repository: message.groupId }),
          groupId: group,
          receiveCount: Number(record.attributes.ApproximateReceiveCount),
          // The object, so the line keeps its stack and cause (src/log.ts formats it).
          error,
        });
      }
    }
    return { batchItemFailures };
  };
}
