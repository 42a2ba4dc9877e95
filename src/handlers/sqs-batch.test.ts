import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { QueueMessage } from '../queue/queue';
import { sqsBatchHandler, type SqsBatchLog } from './sqs-batch';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:Arm64Ci-WorkQueue94013F35-AbCdEfGh.fifo';

function message(deliveryId: string, groupId: string, event = 'push'): QueueMessage {
  return {
    deliveryId,
    event,
    payload: JSON.stringify({ delivery: deliveryId }),
    receivedAt: '2026-01-02T03:04:05.000Z',
    groupId,
  };
}

/** A record shaped like the ones Lambda's poller delivers from a FIFO queue. */
function record(messageId: string, body: QueueMessage | string, receiveCount = 1): SQSRecord {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const groupId = typeof body === 'string' ? 'octo/unknown' : body.groupId;
  return {
    messageId,
    receiptHandle: `AQEB${messageId}==`,
    body: text,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1767323045000',
      SenderId: 'AROAEXAMPLE:Arm64Ci-Ingest',
      ApproximateFirstReceiveTimestamp: '1767323045100',
      SequenceNumber: '18849496460467696128',
      MessageGroupId: groupId,
      MessageDeduplicationId: typeof body === 'string' ? messageId : body.deliveryId,
    },
    messageAttributes: {},
    md5OfBody: '00000000000000000000000000000000',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

function recordingLog() {
  const lines: { level: 'warn' | 'error'; message: string; fields: Record<string, unknown> }[] = [];
  const log: SqsBatchLog = {
    warn: (text, fields) => lines.push({ level: 'warn', message: text, fields: fields ?? {} }),
    error: (text, fields) => lines.push({ level: 'error', message: text, fields: fields ?? {} }),
  };
  return { log, lines };
}

describe('sqsBatchHandler', () => {
  it('reports only the record whose processing failed', async () => {
    const seen: string[] = [];
    const { log, lines } = recordingLog();
    const handler = sqsBatchHandler(async (msg) => {
      seen.push(msg.deliveryId);
      if (msg.deliveryId === 'd-2') throw new Error('GitHub answered 502');
    }, log);
    const event: SQSEvent = {
      Records: [
        record('m-1', message('d-1', 'octo/a')),
        record('m-2', message('d-2', 'octo/b', 'workflow_run'), 3),
        record('m-3', message('d-3', 'octo/c')),
      ],
    };

    const response = await handler(event);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    // A failure does not stop the rest of the batch.
    expect(seen).toEqual(['d-1', 'd-2', 'd-3']);
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'queue message failed; SQS will deliver it again',
        fields: {
          messageId: 'm-2',
          deliveryId: 'd-2',
          event: 'workflow_run',
          repository: 'octo/b',
          groupId: 'octo/b',
          receiveCount: 3,
          // The error itself, so the written line keeps its stack.
          error: expect.objectContaining({ message: 'GitHub answered 502', stack: expect.stringContaining('GitHub answered 502') }),
        },
      },
    ]);
  });

  it('holds back the later messages of a failed message’s group, keeping their order', async () => {
    const seen: string[] = [];
    const { log, lines } = recordingLog();
    const handler = sqsBatchHandler(async (msg) => {
      seen.push(msg.deliveryId);
      if (msg.deliveryId === 'd-1') throw new Error('conflict');
    }, log);

    const response = await handler({
      Records: [
        record('m-1', message('d-1', 'octo/a')),
        record('m-2', message('d-2', 'octo/b')),
        record('m-3', message('d-3', 'octo/a')),
        record('m-4', message('d-4', 'octo/b')),
      ],
    });

    expect(seen).toEqual(['d-1', 'd-2', 'd-4']);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-3' }]);
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.fields)).toEqual([
      { messageId: 'm-3', groupId: 'octo/a' },
    ]);
  });

  it('hands the worker the message exactly as the queue carried it', async () => {
    const got: QueueMessage[] = [];
    const handler = sqsBatchHandler(async (msg) => {
      got.push(msg);
    }, recordingLog().log);

    await handler({ Records: [record('m-1', message('d-1', 'octo/a', 'issue_comment'))] });

    expect(got).toEqual([message('d-1', 'octo/a', 'issue_comment')]);
  });

  it('logs and drops a malformed record instead of reporting it for retry', async () => {
    const seen: string[] = [];
    const { log, lines } = recordingLog();
    const handler = sqsBatchHandler(async (msg) => {
      seen.push(msg.deliveryId);
    }, log);

    const response = await handler({
      Records: [
        record('m-1', '{"deliveryId": "d-1", "event": '),
        record('m-2', JSON.stringify({ deliveryId: 'd-2', payload: '{}', groupId: 'octo/a' })),
        record('m-3', message('d-3', 'octo/a')),
      ],
    });

    expect(response).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['d-3']);
    expect(lines.map((line) => [line.level, line.fields.messageId, line.fields.reason])).toEqual([
      ['warn', 'm-1', 'body is not JSON'],
      ['warn', 'm-2', 'body is not a queue message (bad or missing: event, receivedAt)'],
    ]);
  });
});
