import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QueueMessage } from './queue';
import { SQS_MAX_MESSAGE_BYTES, SqsQueue, sqsMessageId } from './sqs';

// A stand-in for SQS that speaks its JSON protocol for the one call we make, so the real
// SDK client (serialisation, signing, MD5 check of the reply) runs end to end.
interface Received {
  headers: IncomingHttpHeaders;
  body: { QueueUrl?: string; MessageBody?: string; MessageGroupId?: string; MessageDeduplicationId?: string };
}
let server: Server;
let endpoint: string;
let received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'];
      received.push({ headers: req.headers, body });
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (req.headers['x-amz-target'] !== 'AmazonSQS.SendMessage') {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#UnsupportedOperation', message: 'unexpected call' }));
        return;
      }
      if (body.QueueUrl?.endsWith('/missing')) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' }));
        return;
      }
      const md5 = createHash('md5').update(body.MessageBody ?? '').digest('hex');
      res.end(JSON.stringify({ MessageId: randomUUID(), MD5OfMessageBody: md5, SequenceNumber: '18849496460467696128' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
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
    expect(JSON.parse(request?.body.MessageBody ?? 'null')).toEqual(message);
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
