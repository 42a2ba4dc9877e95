/**
 * The ingest function's own AWS client (src/handlers/ingest-aws.ts) and the intake writes and
 * queue sends made through it: requests signed as SigV4 says (checked here by recomputing the
 * signature from the spec with node:crypto, not with the signer that made it), the same items in
 * dynalite as the store's SDK functions write, the same SQS message as SqsQueue sends, and AWS's
 * errors named as the SDK names them.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError, awsJsonOptionsFromEnv, createAwsJsonClient, type AwsJsonClient } from '../src/handlers/ingest-aws';
import { sqsJsonQueue } from '../src/handlers/ingest-queue';
import { dynamoWebhookStore } from '../src/handlers/ingest-store';
import { sdkWebhookStore } from '../src/http/webhook-store';
import { startDynalite } from '../src/local/dynalite';
import { SqsQueue } from '../src/queue/sqs';
import { DELIVERY_TTL_DAYS } from '../src/store/deliveries';
import { createDocumentClient, ensureTable, localClientConfig, type StoreContext } from '../src/store/dynamo';
import { repoKey } from '../src/store/keys';
import { awsError, startAwsJsonServer, type AwsJsonServer } from './support/aws-json-server';
import { sign } from '@octokit/webhooks-methods';
import { examplePayload } from '@arm64-ci/github-sim';
import { createWebhookApp } from '../src/http/webhook-app';
import { createLogger } from '../src/log';
import type { QueueMessage } from '../src/queue/queue';
import { build } from 'esbuild';
import { buildOptionsFor } from '../scripts/bundle';

const TABLE = 'ingest-aws';
const CREDENTIALS = { accessKeyId: 'AKIDINGESTTEST', secretAccessKey: 'ingest-test-secret', sessionToken: 'session-token' };

let dynamo: Awaited<ReturnType<typeof startDynalite>>;
let store: StoreContext;
let client: AwsJsonClient;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = { doc: createDocumentClient({ ...localClientConfig(dynamo.endpoint), maxAttempts: 1 }), table: TABLE };
  await ensureTable(store.doc, TABLE);
  client = createAwsJsonClient({ region: 'us-east-1', credentials: CREDENTIALS, endpoints: { dynamodb: dynamo.endpoint } });
});
afterAll(async () => {
  client.destroy();
  store.doc.destroy();
  await dynamo.close();
});

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/** The signature AWS would compute for this request (AWS Signature Version 4, from its documentation). */
function expectedSignature(req: { headers: IncomingHttpHeaders; body: string; path: string }, service: string, region: string, secret: string): string {
  const auth = String(req.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)![1]!;
  const date = String(req.headers['x-amz-date']);
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((h) => `${h}:${String(req.headers[h]).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = ['POST', req.path, '', canonicalHeaders, signedHeaders, sha256(req.body)].join('\n');
  const scope = `${date.slice(0, 8)}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date.slice(0, 8)), region), service), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('the ingest AWS client', () => {
  let server: AwsJsonServer;
  const bodies: string[] = [];
  beforeAll(async () => {
    server = await startAwsJsonServer('application/x-amz-json-1.1', (req) => {
      bodies.push(JSON.stringify(req.body));
      if (req.body.fail === 'denied') return awsError(400, 'com.amazonaws.secretsmanager#AccessDeniedException', 'not allowed');
      if (req.body.fail === '500') return awsError(500, 'InternalFailure', 'try again');
      return { body: { SecretString: 'ok' } };
    });
  });
  afterAll(() => server.close());

  it('signs each request as SigV4 specifies (service, region, date, the signed headers and the body), session token included', async () => {
    const c = createAwsJsonClient({ region: 'eu-west-1', credentials: CREDENTIALS, endpoints: { secretsmanager: server.url } });
    const answer = await c.call('secretsmanager', 'GetSecretValue', { SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' });
    c.destroy();
    expect(answer).toEqual({ SecretString: 'ok' });
    const req = server.requests.at(-1)!;
    expect(req.target).toBe('secretsmanager.GetSecretValue');
    expect(req.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(req.headers['x-amz-security-token']).toBe('session-token');
    const auth = String(req.headers.authorization);
    expect(auth).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDINGESTTEST/\\d{8}/eu-west-1/secretsmanager/aws4_request, SignedHeaders=`));
    for (const h of ['host', 'content-type', 'x-amz-date', 'x-amz-target', 'x-amz-security-token']) expect(auth).toMatch(new RegExp(`SignedHeaders=[^,]*\\b${h}\\b`));
    const signature = /Signature=([0-9a-f]{64})$/.exec(auth)![1];
    expect(signature).toBe(expectedSignature({ headers: req.headers, body: bodies.at(-1)!, path: '/' }, 'secretsmanager', 'eu-west-1', CREDENTIALS.secretAccessKey));
    // A wrong secret would not give it (the check above can fail).
    expect(signature).not.toBe(expectedSignature({ headers: req.headers, body: bodies.at(-1)!, path: '/' }, 'secretsmanager', 'eu-west-1', 'other'));
  });

  it('names an error answer as AWS does, with its status, and does not retry it', async () => {
    const c = createAwsJsonClient({ region: 'us-east-1', credentials: CREDENTIALS, endpoints: { secretsmanager: server.url } });
    const before = server.requests.length;
    const err = await c.call('secretsmanager', 'GetSecretValue', { fail: 'denied' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(err).toMatchObject({ name: 'AccessDeniedException', message: 'not allowed', status: 400 });
    expect(server.requests.length - before).toBe(1);
    // A 5xx is tried twice in all, then thrown.
    const err5 = await c.call('secretsmanager', 'GetSecretValue', { fail: '500' }).catch((e: unknown) => e);
    expect(err5).toMatchObject({ name: 'InternalFailure', status: 500 });
    expect(server.requests.length - before).toBe(3);
    c.destroy();
  });

  it('fails within its deadline when nothing listens, after one retry', async () => {
    const closed = await startAwsJsonServer('application/x-amz-json-1.0', () => ({ body: {} }));
    await closed.close();
    const c = createAwsJsonClient({ region: 'us-east-1', credentials: CREDENTIALS, endpoints: { dynamodb: closed.url } });
    const err = await c.call('dynamodb', 'PutItem', { TableName: TABLE }).catch((e: unknown) => e);
    c.destroy();
    expect(err).toBeInstanceOf(AwsError);
    expect((err as AwsError).status).toBe(0);
  });

  it('reads region, the role credentials and the endpoint overrides from the Lambda environment; credentials at the first call', async () => {
    const opts = awsJsonOptionsFromEnv({
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9999',
    });
    expect(opts.region).toBe('eu-central-1');
    expect(opts.endpoints).toEqual({ dynamodb: 'http://127.0.0.1:4567', sqs: 'http://127.0.0.1:9999', secretsmanager: 'http://127.0.0.1:9999' });
    expect(await (opts.credentials as () => Promise<unknown>)()).toEqual({ accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' });
    // Without credentials the module still loads; the first call says what is missing.
    const bare = createAwsJsonClient(awsJsonOptionsFromEnv({ AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }));
    await expect(bare.call('dynamodb', 'GetItem', {})).rejects.toThrow(/AWS_ACCESS_KEY_ID/);
    bare.destroy();
  });
});

describe('the intake writes through it', () => {
  const now = new Date('2026-12-03T05:00:00.000Z');
  const get = async (pk: string, sk: string) => (await store.doc.send(new GetCommand({ TableName: TABLE, Key: { pk, sk } }))).Item;

  it('records a delivery as the SDK store does (same item, same TTL), and answers a second one as a duplicate', async () => {
    const lean = dynamoWebhookStore(client, TABLE);
    const sdk = sdkWebhookStore(store);
    const [a, b] = [randomUUID(), randomUUID()];
    expect(await lean.recordDelivery({ deliveryId: a, event: 'push', now })).toBe('new');
    expect(await sdk.recordDelivery({ deliveryId: b, event: 'push', now })).toBe('new');
    const [ia, ib] = [await get(`DELIVERY#${a}`, 'DELIVERY'), await get(`DELIVERY#${b}`, 'DELIVERY')];
    expect({ ...ia, pk: 'x', deliveryId: 'x', writer: 'x' }).toEqual({ ...ib, pk: 'x', deliveryId: 'x', writer: 'x' });
    expect(ia).toMatchObject({ deliveryId: a, event: 'push', receivedAt: now.toISOString(), ttl: Math.floor(now.getTime() / 1000) + DELIVERY_TTL_DAYS * 86_400 });
    // Either path sees the other's record.
    expect(await lean.recordDelivery({ deliveryId: b, event: 'push', now })).toBe('duplicate');
    expect(await sdk.recordDelivery({ deliveryId: a, event: 'push', now })).toBe('duplicate');
    expect(await lean.recordDelivery({ deliveryId: a, event: 'push', now })).toBe('duplicate');
  });

  it('a put whose answer was lost is retried and still counts as new: the delivery is queued, not taken for a duplicate', async () => {
    // A proxy that lets the first PutItem reach DynamoDB, then drops the connection before answering.
    let dropped = 0;
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection' && k !== 'content-length')) as Record<string, string>;
      const answer = await fetch(dynamo.endpoint, { method: 'POST', headers, body: Buffer.concat(chunks) });
      const body = Buffer.from(await answer.arrayBuffer());
      if (String(req.headers['x-amz-target']).endsWith('PutItem') && dropped++ === 0) return req.socket.destroy();
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const c = createAwsJsonClient({ region: 'us-east-1', credentials: CREDENTIALS, endpoints: { dynamodb: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } });
    const id = randomUUID();
    try {
      expect(await dynamoWebhookStore(c, TABLE).recordDelivery({ deliveryId: id, event: 'push', now })).toBe('new');
      expect(dropped).toBe(2);
      // GitHub's redelivery of it afterwards is the duplicate.
      expect(await dynamoWebhookStore(client, TABLE).recordDelivery({ deliveryId: id, event: 'push', now })).toBe('duplicate');
    } finally {
      c.destroy();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('forgets a delivery, so that its redelivery is new again', async () => {
    const lean = dynamoWebhookStore(client, TABLE);
    const id = randomUUID();
    await lean.recordDelivery({ deliveryId: id, event: 'push', now });
    await lean.forgetDelivery(id);
    expect(await get(`DELIVERY#${id}`, 'DELIVERY')).toBeUndefined();
    expect(await lean.recordDelivery({ deliveryId: id, event: 'push', now })).toBe('new');
  });

  it('closes a known public repository once, and leaves an unknown one alone', async () => {
    const lean = dynamoWebhookStore(client, TABLE);
    await store.doc.send(new PutCommand({ TableName: TABLE, Item: { pk: repoKey('octo/Lean'), sk: 'META', fullName: 'octo/Lean', private: false } }));
    expect(await lean.hideRepo('octo/Lean', now)).toBe(true);
    expect(await get(repoKey('octo/Lean'), 'META')).toMatchObject({ private: true, updatedAt: now.toISOString(), fullName: 'octo/Lean' });
    expect(await lean.hideRepo('octo/Lean', now)).toBe(false);
    expect(await lean.hideRepo('octo/unknown', now)).toBe(false);
    expect(await get(repoKey('octo/unknown'), 'META')).toBeUndefined();
    await expect(lean.ping()).resolves.toBeUndefined();
  });

  it('throws when the table is missing (the route answers 503)', async () => {
    const lean = dynamoWebhookStore(client, 'no-such-table');
    await expect(lean.recordDelivery({ deliveryId: randomUUID(), event: 'push', now })).rejects.toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
  });
});

describe('the queue through it', () => {
  it('sends the message SqsQueue sends: same body, group and de-duplication ids, to the queue URL', async () => {
    const sqs = await startAwsJsonServer('application/x-amz-json-1.0', (req) => {
      const md5 = createHash('md5').update(String(req.body.MessageBody ?? '')).digest('hex');
      return { body: { MessageId: randomUUID(), MD5OfMessageBody: md5 } };
    });
    const queueUrl = `${sqs.url}/123456789012/arm64-ci.fifo`;
    const c = createAwsJsonClient({ region: 'us-east-1', credentials: CREDENTIALS });
    const sdkClient = new SQSClient({ region: 'us-east-1', endpoint: sqs.url, credentials: CREDENTIALS });
    const message = { deliveryId: randomUUID(), event: 'push', payload: '{"a":1}', receivedAt: '2026-12-03T05:00:00.000Z', groupId: `${'o'.repeat(39)}/${'r'.repeat(100)}` };
    await sqsJsonQueue(c, queueUrl).send(message);
    await new SqsQueue({ queueUrl, client: sdkClient }).send(message);
    c.destroy();
    sdkClient.destroy();
    await sqs.close();
    const [lean, viaSdk] = sqs.requests;
    expect(lean!.target).toBe('AmazonSQS.SendMessage');
    expect(lean!.body).toEqual(viaSdk!.body);
    expect(lean!.body.MessageGroupId).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("intake's contract, answered by the ingest app over this client", () => {
  const SECRET = 'ingest-aws-webhook-secret';
  const lines: Record<string, unknown>[] = [];
  const sent: QueueMessage[] = [];
  const log = createLogger({ level: 'info', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  const appOver = (c: AwsJsonClient) =>
    createWebhookApp({ intake: dynamoWebhookStore(c, TABLE), queue: { send: async (m) => void sent.push(m) }, log, now: () => new Date(), webhookSecret: async () => SECRET });
  const post = async (app: ReturnType<typeof appOver>, event: string, body: string, delivery = randomUUID(), secret = SECRET) =>
    app.request('/api/github/webhooks', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': await sign(secret, body) },
    });
  const push = JSON.stringify(examplePayload('push'));

  it('accepts a signed push once, answers its redelivery as a duplicate, and refuses bad input without writing', async () => {
    const app = appOver(client);
    const id = randomUUID();
    const first = await post(app, 'push', push, id);
    expect([first.status, await first.json()]).toEqual([202, { status: 'accepted' }]);
    const again = await post(app, 'push', push, id);
    expect([again.status, await again.json()]).toEqual([202, { status: 'duplicate' }]);
    expect(sent.filter((m) => m.deliveryId === id)).toHaveLength(1);
    expect(lines.map((l) => l.message)).toEqual(expect.arrayContaining(['accepted', 'ignored: duplicate delivery (this delivery id was already accepted)']));

    const badSig = randomUUID();
    expect((await post(app, 'push', push, badSig, 'not-the-secret')).status).toBe(401);
    const badJson = randomUUID();
    expect((await post(app, 'push', '{not json', badJson)).status).toBe(400);
    const ignored = await post(app, 'star', JSON.stringify({ action: 'created' }));
    expect([ignored.status, (await ignored.json()).status]).toEqual([202, 'ignored']);
    for (const d of [badSig, badJson]) expect(await (async () => (await store.doc.send(new GetCommand({ TableName: TABLE, Key: { pk: `DELIVERY#${d}`, sk: 'DELIVERY' } }))).Item)()).toBeUndefined();
  });

  it('answers 503 having written and sent nothing while the store is unreachable; /healthz says so too', async () => {
    const closed = await startAwsJsonServer('application/x-amz-json-1.0', () => ({ body: {} }));
    await closed.close();
    const down = createAwsJsonClient({ region: 'us-east-1', credentials: CREDENTIALS, endpoints: { dynamodb: closed.url } });
    const app = appOver(down);
    const before = sent.length;
    const r = await post(app, 'push', push);
    expect([r.status, await r.json()]).toEqual([503, { error: 'store unavailable, retry later' }]);
    expect(sent.length).toBe(before);
    expect((await app.request('/healthz')).status).toBe(503);
    expect((await appOver(client).request('/healthz')).status).toBe(200);
    down.destroy();
  });
});

describe('the ingest bundle', () => {
  it('as the stack builds it, holds no AWS SDK package and no YAML parser (they were most of its cold start)', async () => {
    const r = await build({ ...buildOptionsFor('ingest'), entryPoints: ['src/handlers/ingest.ts'], outfile: 'ingest.mjs', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.some((f) => f.includes('src/http/webhook-route.ts'))).toBe(true);
    expect(inputs.filter((f) => /node_modules\/(@aws-sdk|@smithy|yaml)\//.test(f))).toEqual([]);
  });
});
