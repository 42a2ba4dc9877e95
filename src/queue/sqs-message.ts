/**
 * SQS's limits on a message, apart from ./sqs.ts so that code without the AWS SDK (the ingest
 * function's own send, src/handlers/ingest-queue.ts) can use them.
 */
import { createHash } from 'node:crypto';
import type { QueueMessage } from './queue';

/** SQS's hard limit on a message body. */
export const SQS_MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * SQS accepts group and deduplication ids of 1 to 128 printable ASCII characters. A longer one
 * (an owner of 39 and a repository of 100 characters make 140) or one with other characters
 * is replaced by its SHA-256, which keeps equal ids equal.
 */
export function sqsMessageId(id: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(id) ? id : createHash('sha256').update(id, 'utf8').digest('hex');
}

/**
 * The SendMessage input of one accepted delivery, for both senders (./sqs.ts over the SDK, the
 * ingest function's own client): group = repository, de-duplication id = delivery id. A body over
 * SQS's limit throws here, naming the delivery and its size (SQS's own error names neither).
 */
export function sendMessageInput(queueUrl: string, message: QueueMessage) {
  const body = JSON.stringify(message);
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > SQS_MAX_MESSAGE_BYTES) {
    throw new Error(`queue message for delivery ${message.deliveryId} (${message.event}) is ${bytes} bytes; SQS accepts at most ${SQS_MAX_MESSAGE_BYTES}`);
  }
  return { QueueUrl: queueUrl, MessageBody: body, MessageGroupId: sqsMessageId(message.groupId), MessageDeduplicationId: sqsMessageId(message.deliveryId) };
}
