/**
 * The hand-off between the webhook route (fast, verifies and de-duplicates) and the worker
 * (slow, talks to GitHub). In-process locally, SQS on AWS.
 */
export interface QueueMessage {
  /** X-GitHub-Delivery: the worker's idempotency key. */
  deliveryId: string;
  /** X-GitHub-Event. */
  event: string;
  /** The webhook body as received (JSON text), possibly compacted to fit the queue. */
  payload: string;
  /** ISO time the delivery was accepted. */
  receivedAt: string;
  /**
   * Messages of one group are processed one at a time, in order (SQS FIFO MessageGroupId): the
   * repository's full name, so two events of one repository never race to update its check runs.
   */
  groupId: string;
}

export interface Queue {
  send(message: QueueMessage): Promise<void>;
}

/** SQS accepts 256 KiB per message; keep headroom for attributes and the envelope. */
export const MAX_QUEUE_PAYLOAD_BYTES = 240 * 1024;
