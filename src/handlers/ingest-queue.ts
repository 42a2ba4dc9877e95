/**
 * The queue of the ingest function: the same SQS FIFO message as src/queue/sqs.ts `SqsQueue`
 * (body, group and de-duplication ids, the size check), sent through ./ingest-aws.ts.
 */
import type { Queue, QueueMessage } from '../queue/queue';
import { SQS_MAX_MESSAGE_BYTES, sqsMessageId } from '../queue/sqs-message';
import type { AwsJsonClient } from './ingest-aws';

/** `endpoint`: where to send; the queue URL's own host when not given (as the SDK does). */
export function sqsJsonQueue(client: AwsJsonClient, queueUrl: string, endpoint = new URL(queueUrl).origin): Queue {
  return {
    async send(message: QueueMessage) {
      const body = JSON.stringify(message);
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes > SQS_MAX_MESSAGE_BYTES) {
        throw new Error(`queue message for delivery ${message.deliveryId} (${message.event}) is ${bytes} bytes; SQS accepts at most ${SQS_MAX_MESSAGE_BYTES}`);
      }
      await client.call(
        'sqs',
        'SendMessage',
        { QueueUrl: queueUrl, MessageBody: body, MessageGroupId: sqsMessageId(message.groupId), MessageDeduplicationId: sqsMessageId(message.deliveryId) },
        endpoint,
      );
    },
  };
}
