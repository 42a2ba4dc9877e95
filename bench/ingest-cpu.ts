// 1. Ingest cost: CPU time per signed ~7 KB push through each receiver, in-process (`fetch`), with
// the store (dynalite) in another process so only the receiver's own CPU — the AWS SDK included,
// as on Lambda — is counted.
import { randomUUID } from 'node:crypto';
import { createAwsJsonClient } from '../src/handlers/ingest-aws';
import { dynamoWebhookStore } from '../src/handlers/ingest-store';
import { recordDelivery } from '../src/store/deliveries';
import { meterCapacity } from './lib/capacity';
import { createIngestApp } from '../src/wiring/ingest-app';
import { benchStore, CONTENDERS, countingQueue, inProcess, sinkLogger, sqsQueue, startSqsChild, type ContenderName, type InProcess } from './lib/contenders';
import { pushBody, SECRET, webhookRequest } from './lib/payload';
import type { Child } from './lib/processes';
import { cpuOf, median, round } from './lib/stats';

type Sample = { cpuUs: number; wallUs: number; storeUs: number };
/** `put`: the de-duplication write alone through the AWS SDK (as Probot's handler makes it); `putIngest`: through the ingest function's client (as ours makes it). */
type Row = ContenderName | 'put' | 'putIngest';

export interface IngestCpuResult {
  payloadBytes: number;
  requestsPerRound: number;
  rounds: number;
  /** Median CPU microseconds per request, per contender; `put` / `putIngest` are the de-duplication write alone (see Row). */
  cpuUsPerRequest: Record<Row, number>;
  /** Median wall microseconds per request (sequential; includes waiting for the store). */
  wallUsPerRequest: Record<Row, number>;
  /** CPU the store process spent per request (not counted above; for scale). */
  storeCpuUsPerRequest: Record<Row, number>;
  ratioToFloor: number;
  ratioToProbot: number;
  /** CPU beyond the floor and the store write (each side's own: `putIngest` for ours, `put` for Probot), i.e. what the framework, handler and send add. */
  overheadUs: { ours: number; probot: number; ratio: number };
  /** SQS SendMessage calls: as the receivers' queue counted them, and as the SQS stand-in received them (equal). */
  sqsSends: { client: number; server: number };
  /** Store-reported consumed capacity of one accepted push delivery (ingest path). */
  capacityPerPush: { write: number; read: number; calls: { command: string; units: number }[] };
}

async function measure(run: () => Promise<void>, n: number, dynamo: Child<{ type: 'ready'; endpoint: string }>): Promise<Sample> {
  const d0 = await dynamo.cpu();
  const r = await cpuOf(async () => {
    for (let i = 0; i < n; i++) await run();
  });
  const d1 = await dynamo.cpu();
  return { cpuUs: r.cpuUs / n, wallUs: (r.wallMs * 1000) / n, storeUs: (d1.user + d1.system - d0.user - d0.system) / n };
}

/** Requests are built (and signed) before the clock starts: only handling them is measured. */
async function viaFetch(c: InProcess, body: string, n: number, dynamo: Child<{ type: 'ready'; endpoint: string }>): Promise<Sample> {
  const reqs = Array.from({ length: n }, () => webhookRequest(body));
  let i = 0;
  return measure(
    async () => {
      const res = await c.fetch(reqs[i++]!);
      await res.arrayBuffer();
      if (res.status !== 202 && res.status !== 200) throw new Error(`unexpected ${res.status}`);
    },
    n,
    dynamo,
  );
}

export async function runIngestCpu(
  dynamo: Child<{ type: 'ready'; endpoint: string }>,
  opts: { n?: number; rounds?: number; warmup?: number } = {},
): Promise<IngestCpuResult> {
  const n = opts.n ?? 1000;
  const rounds = opts.rounds ?? 5;
  const body = pushBody();
  const store = await benchStore(dynamo.ready.endpoint, 'ingest');
  const meter = meterCapacity(store.doc);
  // Both receivers enqueue through the real SQS client to a stand-in in its own process: the send's
  // CPU (serialise, sign, parse the answer) counts on both sides, as on Lambda.
  const sqs = await startSqsChild();
  const queue = sqsQueue(sqs.ready.url);
  const apps = {} as Record<ContenderName, InProcess>;
  for (const name of CONTENDERS) apps[name] = await inProcess(name, store, queue);
  const now = new Date();
  const put = (k: number) => measure(() => recordDelivery(store, { deliveryId: randomUUID(), event: 'push', now }).then(() => {}), k, dynamo);
  const ingestClient = createAwsJsonClient({ region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, endpoints: { dynamodb: store.endpoint } });
  const ingestStore = dynamoWebhookStore(ingestClient, store.table);
  const putIngest = (k: number) => measure(() => ingestStore.recordDelivery({ deliveryId: randomUUID(), event: 'push', now }).then(() => {}), k, dynamo);

  // Consumed capacity of one accepted push, as the store reports it: through the same webhook route
  // over the SDK store (createIngestApp), whose metered client can ask for ReturnConsumedCapacity —
  // the ingest client writes the same item (test/ingest-aws.test.ts), so the same units.
  meter.reset();
  const metered = createIngestApp({ store, queue: countingQueue(), log: sinkLogger(), webhookSecret: SECRET });
  const res = await metered.fetch(webhookRequest(body));
  if (res.status !== 202) throw new Error(`ours did not accept: ${res.status} ${await res.text()}`);
  const accepted = await apps.ours.fetch(webhookRequest(body));
  if (accepted.status !== 202 || queue.sent !== 1) throw new Error(`ours did not accept: ${accepted.status} ${await accepted.text()}`);
  const capacityPerPush = { write: meter.write, read: meter.read, calls: meter.calls };

  const warmup = opts.warmup ?? 500;
  for (const name of CONTENDERS) await viaFetch(apps[name], body, warmup, dynamo);
  await put(warmup);
  await putIngest(warmup);
  const rows: Row[] = [...CONTENDERS, 'put', 'putIngest'];
  const samples = Object.fromEntries(rows.map((c) => [c, [] as Sample[]])) as Record<Row, Sample[]>;
  // Interleaved rounds: a burst of load from a neighbour on the shared machine hits all alike.
  for (let r = 0; r < rounds; r++) {
    for (const row of rows) samples[row].push(row === 'put' ? await put(n) : row === 'putIngest' ? await putIngest(n) : await viaFetch(apps[row], body, n, dynamo));
  }
  const pick = (k: keyof Sample) => Object.fromEntries(rows.map((c) => [c, round(median(samples[c].map((s) => s[k])), 1)])) as Record<Row, number>;
  const cpu = pick('cpuUs');
  store.doc.destroy();
  ingestClient.destroy();
  const sqsSends = { client: queue.sent, server: (await sqs.ask<{ sends: number }>({ type: 'stats' })).sends };
  await sqs.close();
  if (sqsSends.client !== sqsSends.server) throw new Error(`SQS sends disagree: ${JSON.stringify(sqsSends)}`);
  const overhead = { ours: round(cpu.ours - cpu.floor - cpu.putIngest, 0), probot: round(cpu.probot - cpu.floor - cpu.put, 0) };
  return {
    payloadBytes: Buffer.byteLength(body),
    requestsPerRound: n,
    rounds,
    cpuUsPerRequest: cpu,
    wallUsPerRequest: pick('wallUs'),
    storeCpuUsPerRequest: pick('storeUs'),
    ratioToFloor: round(cpu.ours / cpu.floor),
    ratioToProbot: round(cpu.ours / cpu.probot),
    overheadUs: { ...overhead, ratio: round(Math.max(0, overhead.ours) / overhead.probot) },
    capacityPerPush,
    sqsSends,
  };
}
