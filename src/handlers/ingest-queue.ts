/**
 * The queue of the ingest function: the same SQS FIFO message as src/queue/sqs.ts `SqsQueue`
 * (body, group and de-duplication ids, the size check), sent through ./ingest-aws.ts.
 */
import type { Queue, QueueMessage } from '../queue/queue';
import { sendMessageInput } from '../queue/sqs-message';
import type { AwsJsonClient } from './ingest-aws';

/** `endpoint`: where to send; the queue URL's own host when not given (as the SDK does). */
export function sqsJsonQueue(client: AwsJsonClient, queueUrl: string, endpoint = new URL(queueUrl).origin): Queue {
  return {
    async send(message: QueueMessage) {
      await client.call('sqs', 'SendMessage', sendMessageInput(queueUrl, message), endpoint);
    },
  };
}
