/**
 * The queue on AWS: one message per accepted webhook on an SQS FIFO queue, consumed by the
 * worker function (src/handlers/sqs-batch.ts is the other end).
 *
 * - MessageGroupId = the message's groupId (the repository): SQS hands out one group's
 *   messages one at a time, in order.
 * - MessageDeduplicationId = the delivery id: SQS drops a second copy of the same delivery sent
 *   within five minutes (a GitHub redelivery racing the original, an SDK retry).
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Queue, QueueMessage } from './queue';
import { sendMessageInput } from './sqs-message';

export { SQS_MAX_MESSAGE_BYTES, sqsMessageId } from './sqs-message';

interface SqsQueueOptions {
  /** The FIFO queue's URL (QUEUE_URL on Lambda). */
  queueUrl: string;
  /** A configured client; by default one for the Lambda's own region and credentials. */
  client?: SQSClient;
}

export class SqsQueue implements Queue {
  private readonly queueUrl: string;
  private readonly client: SQSClient;

  constructor(options: SqsQueueOptions) {
    this.queueUrl = options.queueUrl;
    this.client = options.client ?? new SQSClient({});
  }

  async send(message: QueueMessage): Promise<void> {
    await this.client.send(new SendMessageCommand(sendMessageInput(this.queueUrl, message)));
  }
}
