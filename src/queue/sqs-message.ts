/**
 * SQS's limits on a message, apart from ./sqs.ts so that code without the AWS SDK (the ingest
 * function's own send, src/handlers/ingest-queue.ts) can use them.
 */
import { createHash } from 'node:crypto';

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
