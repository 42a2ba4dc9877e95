import { createHash, randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsError, startAwsJsonServer, type AwsJsonRequest, type AwsJsonServer } from '../../test/support/aws-json-server';
import type { QueueMessage } from './queue';
import { SQS_MAX_MESSAGE_BYTES, SqsQueue, sqsMessageId } from './sqs';

// SQS as far as SendMessage goes, so the real SDK client (serialisation, signing, MD5 check of
// the reply) runs end to end.
let sqs: AwsJsonServer;
let endpoint: string;
let received: AwsJsonRequest[];

beforeAll(async () => {
  sqs = await startAwsJsonServer('application/x-amz-json-1.0', ({ target, body }) => {
    if (target !== 'AmazonSQS.SendMessage') return awsError(400, 'com.amazonaws.sqs#UnsupportedOperation', 'unexpected call');
    if (String(body.QueueUrl).endsWith('/missing')) {
      return awsError(400, 'com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.');
    }
    const md5 = createHash('md5').update(String(body.MessageBody ?? '')).digest('hex');
    return { body: { MessageId: randomUUID(), MD5OfMessageBody: md5, SequenceNumber: '18849496460467696128' } };
  });
  endpoint = sqs.url;
  received = sqs.requests;
});

afterAll(() => sqs.close());

beforeEach(() => {
  received.length = 0;
});

function queue(name: string): SqsQueue {
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
  return new SqsQueue({ queueUrl: `${endpoint}/123456789012/${name}`, client });
}

const message: QueueMessage = {
  deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  event: 'push',
  payload: JSON.stringify({ ref: 'refs/heads/main', after: 'a'.repeat(40), note: 'ünïcode ✓' }),
  receivedAt: '2026-01-02T03:04:05.000Z',
  groupId: 'octo-org/hello-arm64',
};

describe('SqsQueue', () => {
  it('sends the message as one signed SendMessage to the configured FIFO queue', async () => {
    await queue('work.fifo').send(message);

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(request?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\//);
    expect(request?.body.QueueUrl).toBe(`${endpoint}/123456789012/work.fifo`);
    // One repository's events in order; one delivery at most once within SQS's 5-minute window.
    expect(request?.body.MessageGroupId).toBe('octo-org/hello-arm64');
    expect(request?.body.MessageDeduplicationId).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    // The worker parses exactly this text back into a QueueMessage.
    expect(JSON.parse(String(request?.body.MessageBody))).toEqual(message);
  });

  it('rejects when SQS refuses the message, so the webhook route can answer 503', async () => {
    await expect(queue('missing').send(message)).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });

  it('refuses a message over the SQS limit without calling SQS, naming the delivery and size', async () => {
    const big = { ...message, payload: 'x'.repeat(SQS_MAX_MESSAGE_BYTES) };

    await expect(queue('work.fifo').send(big)).rejects.toThrow(
      /delivery 72d3162e-cc78-11e3-81ab-4c9367dc0958 \(push\) is \d+ bytes; SQS accepts at most 262144/,
    );
    expect(received).toHaveLength(0);
  });
});

describe('sqsMessageId', () => {
  it('keeps an id SQS accepts as it is', () => {
    expect(sqsMessageId('octo-org/hello-arm64')).toBe('octo-org/hello-arm64');
    expect(sqsMessageId('installation:42')).toBe('installation:42');
  });

  it('hashes an id SQS would refuse (too long, or not printable ASCII), consistently', async () => {
    const longest = `${'o'.repeat(39)}/${'r'.repeat(100)}`;
    expect(sqsMessageId(longest)).toMatch(/^[0-9a-f]{64}$/);
    expect(sqsMessageId(longest)).toBe(sqsMessageId(longest));
    expect(sqsMessageId('ünïcode repo')).toMatch(/^[0-9a-f]{64}$/);

    await queue('work.fifo').send({ ...message, groupId: longest });
    expect(received[0]?.body.MessageGroupId).toBe(sqsMessageId(longest));
  });
});
