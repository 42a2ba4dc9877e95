// 3b. Cold start to a first answer: a fresh Node process imports the ingest function as the stack
// deploys it and answers one signed `push` delivery — the Secrets Manager read for the webhook
// secret, the de-duplication put (dynalite) and the SQS send included, each against a local
// stand-in speaking the service's own protocol. Probot does the same work in a fresh process:
// import, read the secret, verify, the same put, the same send. Both sides' sends are counted at
// the SQS stand-in.
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { generateAppKeys } from '@arm64-ci/github-sim';
import { startDynalite } from '../src/local/dynalite';
import { createDocumentClient, ensureTable, localClientConfig } from '../src/store/dynamo';
import { startAwsJsonServer } from '../test/support/aws-json-server';
import { headersFor, pushBody, SECRET, WEBHOOK_PATH } from './lib/payload';
import { median, round } from './lib/stats';

const run = promisify(execFile);
const TABLE = 'bench-first-request';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench';

export interface FirstRequestResult {
  /** Median ms from process start of the import to the first answer, per contender. */
  ms: Record<string, number>;
  runs: number;
  /** SQS SendMessage calls the stand-in received, per contender (one per run each). */
  sqsSends: Record<string, number>;
  /** Every first answer was 202 accepted (ours) / handled (Probot). */
  allAccepted: boolean;
}

/** The Function URL event (payload 2.0) Lambda hands the ingest function for one delivery. */
function functionUrlEvent(body: string, deliveryId: ReturnType<typeof randomUUID>) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: WEBHOOK_PATH,
    rawQueryString: '',
    headers: { ...headersFor(body, deliveryId), host: 'abc.lambda-url.us-east-1.on.aws' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc',
      domainName: 'abc.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc',
      http: { method: 'POST', path: WEBHOOK_PATH, protocol: 'HTTP/1.1', sourceIp: '192.30.252.1', userAgent: 'GitHub-Hookshot/bench' },
      requestId: deliveryId,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}

const OURS_CHILD = `
const event = JSON.parse(process.env.BENCH_EVENT);
const t = process.hrtime.bigint();
const { handler } = await import(process.env.BENCH_BUNDLE);
const r = await handler(event, { awsRequestId: event.requestContext.requestId });
process.stdout.write(JSON.stringify({ ms: Number(process.hrtime.bigint() - t) / 1e6, ok: r.statusCode === 202 && JSON.parse(r.body).status === 'accepted', answer: r.statusCode + ' ' + r.body }));
`;

/** A Probot app on Lambda doing the ingest's work: what the comparison holds it to. */
const PROBOT_CHILD = `
const body = process.env.BENCH_BODY;
const headers = JSON.parse(process.env.BENCH_HEADERS);
const t = process.hrtime.bigint();
const [{ Probot }, sm, ddb, sqs] = await Promise.all([
  import('probot'),
  import('@aws-sdk/client-secrets-manager'),
  import('@aws-sdk/client-dynamodb'),
  import('@aws-sdk/client-sqs'),
]);
const secrets = JSON.parse((await new sm.SecretsManagerClient({}).send(new sm.GetSecretValueCommand({ SecretId: process.env.SECRET_ARN }))).SecretString);
const dynamo = new ddb.DynamoDBClient({});
const queue = new sqs.SQSClient({});
const probot = await new Probot({ appId: 1, privateKey: process.env.BENCH_KEY, secret: secrets.webhookSecret, logLevel: 'warn' }).ready();
let ok = false;
probot.webhooks.on('push', async ({ id, name, payload }) => {
  const now = new Date();
  await dynamo.send(new ddb.PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: { pk: { S: 'DELIVERY#' + id }, sk: { S: 'DELIVERY' }, event: { S: name }, receivedAt: { S: now.toISOString() } },
    ConditionExpression: 'attribute_not_exists(pk)',
  }));
  await queue.send(new sqs.SendMessageCommand({
    QueueUrl: process.env.QUEUE_URL,
    MessageBody: JSON.stringify({ deliveryId: id, event: name, payload: JSON.stringify(payload), receivedAt: now.toISOString() }),
    MessageGroupId: payload.repository.full_name.toLowerCase(),
    MessageDeduplicationId: id,
  }));
  ok = true;
});
await probot.webhooks.verifyAndReceive({ id: headers['x-github-delivery'], name: 'push', payload: body, signature: headers['x-hub-signature-256'] });
process.stdout.write(JSON.stringify({ ms: Number(process.hrtime.bigint() - t) / 1e6, ok }));
`;

export async function runFirstRequest(opts: { bundles: Record<string, string>; runs?: number; outdir?: string }): Promise<FirstRequestResult> {
  const runs = opts.runs ?? 7;
  const outdir = opts.outdir ?? 'bench/.cache/dist';
  mkdirSync(outdir, { recursive: true });
  const oursChild = resolve(outdir, 'first-request-ours.mjs');
  const probotChild = resolve(outdir, 'first-request-probot.mjs');
  writeFileSync(oursChild, OURS_CHILD);
  writeFileSync(probotChild, PROBOT_CHILD);

  const dynamo = await startDynalite();
  const doc = createDocumentClient(localClientConfig(dynamo.endpoint));
  await ensureTable(doc, TABLE);
  const sends: Record<string, number> = {};
  let current = '';
  const sqs = await startAwsJsonServer('application/x-amz-json-1.0', (req) => {
    if (req.target.endsWith('.SendMessage')) sends[current] = (sends[current] ?? 0) + 1;
    const md5 = createHash('md5').update(String(req.body.MessageBody ?? '')).digest('hex');
    return { body: { MessageId: randomUUID(), MD5OfMessageBody: md5, SequenceNumber: '1' } };
  });
  const { privateKey } = generateAppKeys();
  const secrets = await startAwsJsonServer('application/x-amz-json-1.1', () => ({
    body: { ARN: SECRET_ARN, Name: 'bench', SecretString: JSON.stringify({ appId: '1', privateKey, webhookSecret: SECRET, badgeSecret: 'b' }) },
  }));
  const env = {
    ...process.env,
    NODE_OPTIONS: '--enable-source-maps',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: TABLE,
    // The SQS client sends to the queue URL's host: the stand-in's.
    QUEUE_URL: `${sqs.url}/123456789012/bench.fifo`,
    SECRET_ARN,
    LOG_LEVEL: 'warn' as const,
  };
  const body = pushBody();
  const samples: Record<string, number[]> = {};
  let allAccepted = true;
  try {
    const once = async (label: string, script: string, extra: Record<string, string>) => {
      current = label;
      const { stdout } = await run(process.execPath, [script], { env: { ...env, ...extra }, maxBuffer: 1 << 20 });
      // The function's own JSON log lines come first on stdout; the measurement is the last line.
      const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { ms: number; ok: boolean; answer?: string };
      if (!r.ok) {
        allAccepted = false;
        process.stderr.write(`${label}: first answer ${r.answer ?? 'not accepted'}\n`);
      }
      (samples[label] ??= []).push(r.ms);
    };
    for (let i = -1; i < runs; i++) {
      for (const [label, bundle] of Object.entries(opts.bundles)) {
        const id = randomUUID();
        await once(label, oursChild, { BENCH_BUNDLE: pathToFileURL(resolve(bundle)).href, BENCH_EVENT: JSON.stringify(functionUrlEvent(body, id)) });
      }
      await once('probot', probotChild, { BENCH_BODY: body, BENCH_HEADERS: JSON.stringify(headersFor(body, randomUUID())), BENCH_KEY: privateKey });
      // The first round warms the page cache: not counted.
      if (i === -1) for (const k of Object.keys(samples)) samples[k] = [];
    }
  } finally {
    doc.destroy();
    await Promise.all([sqs.close(), secrets.close(), dynamo.close()]);
  }
  for (const k of Object.keys(sends)) sends[k] = sends[k]! - 1; // the warm-up round's
  return { ms: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, round(median(v), 1)])), runs, sqsSends: sends, allAccepted };
}
