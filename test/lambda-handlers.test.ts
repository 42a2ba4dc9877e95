/**
 * The Lambda entry points (src/handlers/*.ts) as Lambda calls them: a Function URL event for the
 * ingest and web functions, an SQS batch for the worker. Nothing is mocked: the handlers build
 * their real AWS clients from the environment (the SDK's in web and worker, the ingest function's
 * own in src/handlers/ingest-aws.ts), which points them (through the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables) at dynalite and at two small local servers that speak the
 * SQS and Secrets Manager JSON protocols; GitHub is the stand-in.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { sign } from '@octokit/webhooks-methods';
import type { APIGatewayProxyEventV2, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type EmbeddedDynamo } from '../src/local/dynalite';
import { examplePayload, startGitHubStandIn, type GitHubStandIn } from '@arm64-ci/github-sim';
import type { QueueMessage } from '../src/queue/queue';
import { createDocumentClient, ensureTable, localClientConfig, type StoreContext } from '../src/store/dynamo';
import { APP_ID, seedRepo, testKeys } from './support/harness';
import { startAwsJsonServer, type AwsJsonServer } from './support/aws-json-server';

const WEBHOOK_SECRET = 'lambda-test-webhook-secret';
const TABLE = 'Arm64CiLambdaTest';
const ACCOUNT = '123456789012';
const QUEUE_NAME = 'Arm64Ci-WorkQueue.fifo';
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:arm64-ci-app-AbCdEf`;

// ---- local AWS services -------------------------------------------------------------------

interface SentMessage {
  QueueUrl?: string;
  MessageBody?: string;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

let dynamo: EmbeddedDynamo;
let store: StoreContext;
let sqs: AwsJsonServer;
let secrets: AwsJsonServer;
let gh: GitHubStandIn;
const sent: SentMessage[] = [];
const secretReads: string[] = [];

type LambdaHandler<E, R> = (event: E, context?: never) => Promise<R>;
interface HttpResult {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
}
let ingest: LambdaHandler<APIGatewayProxyEventV2, HttpResult>;
let web: LambdaHandler<APIGatewayProxyEventV2, HttpResult>;
let worker: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

// Everything this file sets in process.env, restored in afterAll.
const ENV_KEYS = [
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  'AWS_LAMBDA_FUNCTION_NAME',
  'TABLE_NAME',
  'QUEUE_URL',
  'SECRET_ARN',
  'GITHUB_API_URL',
  'PUBLIC_URL',
] as const;
const savedEnv = new Map<string, string | undefined>(ENV_KEYS.map((k) => [k, process.env[k]]));

beforeAll(async () => {
  const { privateKey, publicKey } = testKeys();
  dynamo = await startDynalite();
  // The test's own view of the table (the handlers build theirs from the environment).
  const doc = createDocumentClient({ ...localClientConfig(dynamo.endpoint), region: 'us-east-1', maxAttempts: 1 });
  store = { doc, table: TABLE };
  await ensureTable(doc, TABLE);

  sqs = await startAwsJsonServer('application/x-amz-json-1.0', ({ target, body }) => {
    if (target !== 'AmazonSQS.SendMessage') {
      return { status: 400, body: { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `unexpected ${target}` } };
    }
    sent.push(body as SentMessage);
    // The SDK checks this MD5 against the body it sent.
    const md5 = createHash('md5').update(String(body.MessageBody ?? '')).digest('hex');
    return { status: 200, body: { MessageId: randomUUID(), MD5OfMessageBody: md5, SequenceNumber: '18849496460467696128' } };
  });

  secrets = await startAwsJsonServer('application/x-amz-json-1.1', ({ target, body }) => {
    secretReads.push(String(body.SecretId));
    if (target !== 'secretsmanager.GetSecretValue' || body.SecretId !== SECRET_ARN) {
      const type = 'ResourceNotFoundException';
      return { status: 400, headers: { 'x-amzn-errortype': type }, body: { __type: type, Message: "Secrets Manager can't find the specified secret." } };
    }
    return {
      status: 200,
      body: {
        ARN: SECRET_ARN,
        Name: 'arm64-ci-app',
        // As the owner stores it (docs/DEPLOY.md): a numeric app id, the PEM on one line.
        SecretString: JSON.stringify({ appId: APP_ID, privateKey: privateKey.replace(/\n/g, '\\n'), webhookSecret: WEBHOOK_SECRET }),
        VersionId: 'v1',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_700_000_000,
      },
    };
  });

  gh = await startGitHubStandIn({
    app: { id: APP_ID, publicKeyPem: publicKey },
    repos: [seedRepo({ name: 'widget' }), seedRepo({ name: 'gadget' }), seedRepo({ name: 'sprocket' })],
  });

  // What the stack sets on the functions, plus the endpoint overrides; set before the handler
  // modules are imported, since they read it at import (as on a cold start).
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDATEST',
    AWS_SECRET_ACCESS_KEY: 'lambda-test-secret',
    // No shared config from the machine running the tests.
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    TABLE_NAME: TABLE,
    QUEUE_URL: `${sqs.url}/${ACCOUNT}/${QUEUE_NAME}`,
    SECRET_ARN,
    GITHUB_API_URL: gh.url,
  });

  ingest = (await import('../src/handlers/ingest')).handler as unknown as typeof ingest;
  web = (await import('../src/handlers/web')).handler as unknown as typeof web;
  worker = (await import('../src/handlers/worker')).handler;
});

afterAll(async () => {
  for (const [k, v] of savedEnv) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  store?.doc.destroy();
  await Promise.all([gh?.close(), sqs?.close(), secrets?.close()]);
  await dynamo?.close();
});

afterEach(() => {
  expect(gh.violations).toEqual([]);
  expect(gh.unimplemented).toEqual([]);
});

async function tableItems(): Promise<Record<string, unknown>[]> {
  return (await store.doc.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
}

// ---- event builders -------------------------------------------------------------------------

const URL_DOMAIN = 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws';

/** A Lambda Function URL event (payload format 2.0), as the ingest/web functions receive it. */
function functionUrlEvent(opts: {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  base64?: boolean;
}): APIGatewayProxyEventV2 {
  const now = Date.now();
  const body = opts.body === undefined ? undefined : opts.base64 ? Buffer.from(opts.body, 'utf8').toString('base64') : opts.body;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: opts.path,
    rawQueryString: '',
    headers: {
      host: URL_DOMAIN,
      'user-agent': 'GitHub-Hookshot/5c2a1e7',
      accept: '*/*',
      'x-amzn-trace-id': 'Root=1-6744f1a0-0123456789abcdef01234567',
      'x-forwarded-for': '140.82.115.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body ?? '', 'utf8')) } : {}),
      ...opts.headers,
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnopqrstuvwxyz012345',
      domainName: URL_DOMAIN,
      domainPrefix: 'abcdefghijklmnopqrstuvwxyz012345',
      http: { method: opts.method, path: opts.path, protocol: 'HTTP/1.1', sourceIp: '140.82.115.10', userAgent: 'GitHub-Hookshot/5c2a1e7' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: opts.base64 ?? false,
  };
}

async function webhookEvent(payload: unknown, opts: { delivery?: string; secret?: string; base64?: boolean } = {}) {
  const body = JSON.stringify(payload);
  const delivery = opts.delivery ?? randomUUID();
  const event = functionUrlEvent({
    method: 'POST',
    path: '/api/github/webhooks',
    body,
    base64: opts.base64 ?? true,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': delivery,
      'x-github-hook-id': '482301',
      'x-github-hook-installation-target-id': String(APP_ID),
      'x-github-hook-installation-target-type': 'integration',
      'x-hub-signature-256': await sign(opts.secret ?? WEBHOOK_SECRET, body),
    },
  });
  return { event, delivery };
}

const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:${QUEUE_NAME}`;

/** An SQS record as Lambda's poller delivers it from the FIFO queue. */
function sqsRecord(message: QueueMessage): SQSRecord {
  const body = JSON.stringify(message);
  const messageId = randomUUID();
  return {
    messageId,
    receiptHandle: `AQEB${Buffer.from(messageId).toString('base64')}==`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AROAEXAMPLE:Arm64Ci-Ingest',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      SequenceNumber: '18849496460467696128',
      MessageGroupId: message.groupId,
      MessageDeduplicationId: message.deliveryId,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

function pushMessage(repo: string, sha: string): QueueMessage {
  const ev = gh.events.pushEvent(gh.repo('octo-org', repo), { ref: 'refs/heads/main', after: sha });
  return {
    deliveryId: randomUUID(),
    event: ev.event,
    payload: JSON.stringify(ev.payload),
    receivedAt: new Date().toISOString(),
    groupId: `octo-org/${repo}`,
  };
}

// ---- tests ----------------------------------------------------------------------------------

describe('ingest handler (Function URL)', () => {
  it('accepts a signed push with a base64 body, enqueues it once, and answers a redelivery as a duplicate', async () => {
    const payload = examplePayload('push');
    const fullName = String(payload.repository.full_name);
    const { event, delivery } = await webhookEvent(payload);
    const before = sent.length;

    const first = await ingest(event);

    expect(first.statusCode).toBe(202);
    expect(JSON.parse(first.body)).toEqual({ status: 'accepted' });
    expect(sent.length - before).toBe(1);
    const msg = sent.at(-1)!;
    expect(msg.QueueUrl).toBe(process.env.QUEUE_URL);
    // One repository's events in order; one delivery at most once.
    expect(msg.MessageGroupId).toBe(fullName.toLowerCase());
    expect(msg.MessageDeduplicationId).toBe(delivery);
    const queued = JSON.parse(msg.MessageBody ?? 'null') as QueueMessage;
    expect(queued).toMatchObject({ deliveryId: delivery, event: 'push', groupId: fullName.toLowerCase() });
    // The base64 body reached the route decoded, byte for byte (the signature matched it).
    expect(JSON.parse(queued.payload)).toMatchObject({ after: payload.after, ref: payload.ref });
    expect(secretReads).toEqual([SECRET_ARN]);

    const again = await ingest(event);

    expect(again.statusCode).toBe(202);
    expect(JSON.parse(again.body)).toEqual({ status: 'duplicate' });
    expect(sent.length - before).toBe(1);
    // The secret is read once per cold start.
    expect(secretReads).toEqual([SECRET_ARN]);
  });

  it('answers 401 to a wrong signature, enqueues nothing and writes nothing', async () => {
    const { event } = await webhookEvent(examplePayload('push'), { secret: 'not-the-webhook-secret' });
    const sentBefore = sent.length;
    const itemsBefore = await tableItems();

    const r = await ingest(event);

    expect(r.statusCode).toBe(401);
    expect(sent.length).toBe(sentBefore);
    expect(await tableItems()).toEqual(itemsBefore);
  });

  it('accepts a plain (not base64) body too', async () => {
    const payload = examplePayload('push');
    const { event, delivery } = await webhookEvent(payload, { base64: false });
    const before = sent.length;

    const r = await ingest(event);

    expect(r.statusCode).toBe(202);
    expect(JSON.parse(r.body)).toEqual({ status: 'accepted' });
    expect(sent.length - before).toBe(1);
    expect(sent.at(-1)?.MessageDeduplicationId).toBe(delivery);
  });
});

describe('worker handler (SQS batch)', () => {
  it('processes a batch and reports only the record that failed', { timeout: 60_000 }, async () => {
    const good1 = pushMessage('widget', 'a1'.repeat(20));
    const bad = pushMessage('sprocket', 'b2'.repeat(20));
    const good2 = pushMessage('gadget', 'c3'.repeat(20));
    const records = [good1, bad, good2].map(sqsRecord);
    // GitHub refuses every token for sprocket's requests, even a freshly minted one: not a
    // permanent answer, so the message must go back to the queue (not be dropped as poison).
    gh.failNext({ pathPattern: /^\/repos\/octo-org\/sprocket\//, status: 401, times: 2, body: { message: 'Bad credentials', status: '401' } });

    const response = await worker({ Records: records });

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]!.messageId }] });
    // The records on either side of the failure were processed in full: each got its run.
    expect(gh.dispatches.map((d) => [d.repo, d.inputs.sha]).sort()).toEqual([
      ['octo-org/gadget', 'c3'.repeat(20)],
      ['octo-org/widget', 'a1'.repeat(20)],
    ]);
    expect(gh.checkRuns('octo-org', 'widget').map((c) => c.headSha)).toEqual(['a1'.repeat(20)]);
    expect(gh.checkRuns('octo-org', 'gadget').map((c) => c.headSha)).toEqual(['c3'.repeat(20)]);
    expect(gh.checkRuns('octo-org', 'sprocket')).toEqual([]);
  });
});

describe('web handler (Function URL)', () => {
  it('answers 404 for the badge of a repository it does not know, uncached', async () => {
    const r = await web(functionUrlEvent({ method: 'GET', path: '/badges/o/r/status.svg', headers: { accept: 'image/svg+xml' } }));

    expect(r.statusCode).toBe(404);
    expect(r.headers?.['cache-control']).toBe('no-cache');
  });
});
