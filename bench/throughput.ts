// 2. Throughput over loopback: each receiver served as it would be (Hono on @hono/node-server,
// Probot on its node middleware) in its own process; autocannon here; the store in a third.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { CONTENDERS, type ContenderName } from './lib/contenders';
import { headersFor, pushBody, WEBHOOK_PATH } from './lib/payload';
import { startChild, type Child } from './lib/processes';
import { startSqsChild } from './lib/contenders';
import { median, round } from './lib/stats';

export interface ThroughputRow {
  /** Medians over rounds (completed, non2xx and errors are totals). */
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Server process CPU per request over HTTP (node's HTTP server included), microseconds. */
  serverCpuUsPerRequest: number;
  completed: number;
  non2xx: number;
  errors: number;
}

export interface ThroughputResult {
  connections: number;
  /** Each round runs every receiver for this long; figures are medians over rounds. */
  durationSec: number;
  rounds: number;
  rows: Record<ContenderName, ThroughputRow>;
}

export async function runThroughput(
  endpoint: string,
  opts: { durationSec?: number; connections?: number; rounds?: number } = {},
): Promise<ThroughputResult> {
  const durationSec = opts.durationSec ?? 3;
  const rounds = opts.rounds ?? 3;
  const connections = opts.connections ?? 10;
  const body = pushBody();
  // The signature covers the body only, so one signature serves every request; the delivery id,
  // which must be unique, is set per request (autocannon's setupRequest).
  // autocannon sets Content-Length itself.
  const { 'content-length': _length, ...headers } = headersFor(body);
  const servers = {} as Record<ContenderName, Child<{ type: 'ready'; url: string }>>;
  // The receivers' SQS sends go, through the real client, to a stand-in in its own process.
  const sqs = await startSqsChild();
  try {
    for (const name of CONTENDERS) {
      servers[name] = await startChild('server.ts', { BENCH_CONTENDER: name, BENCH_DYNAMODB_ENDPOINT: endpoint, BENCH_SQS_URL: sqs.ready.url });
    }
    const load = (name: ContenderName, duration: number) =>
      autocannon({
        url: servers[name].ready.url,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            path: WEBHOOK_PATH,
            body,
            setupRequest: (req) => ({ ...req, headers: { ...headers, 'x-github-delivery': randomUUID() } }),
          },
        ],
      });
    for (const name of CONTENDERS) await load(name, 1); // warm-up: JIT, keep-alive sockets, the store's first pages
    const samples = Object.fromEntries(CONTENDERS.map((c) => [c, [] as ThroughputRow[]])) as Record<ContenderName, ThroughputRow[]>;
    // Short interleaved rounds: a neighbour's burst of load on the shared machine hits all three alike.
    for (let r = 0; r < rounds; r++) {
      for (const name of CONTENDERS) {
        const c0 = await servers[name].cpu();
        const res = await load(name, durationSec);
        const c1 = await servers[name].cpu();
        const completed = res.requests.total;
        samples[name].push({
          requestsPerSec: completed / durationSec,
          p50Ms: res.latency.p50,
          p99Ms: res.latency.p99,
          serverCpuUsPerRequest: (c1.user + c1.system - c0.user - c0.system) / Math.max(1, completed),
          completed,
          non2xx: res.non2xx,
          errors: res.errors + res.timeouts,
        });
      }
    }
    const rows = {} as Record<ContenderName, ThroughputRow>;
    for (const name of CONTENDERS) {
      const s = samples[name];
      const med = (k: keyof ThroughputRow) => round(median(s.map((x) => x[k])), 0);
      rows[name] = {
        requestsPerSec: med('requestsPerSec'),
        p50Ms: med('p50Ms'),
        p99Ms: med('p99Ms'),
        serverCpuUsPerRequest: med('serverCpuUsPerRequest'),
        completed: s.reduce((a, x) => a + x.completed, 0),
        non2xx: s.reduce((a, x) => a + x.non2xx, 0),
        errors: s.reduce((a, x) => a + x.errors, 0),
      };
    }
    return { connections, durationSec, rounds, rows };
  } finally {
    for (const s of Object.values(servers)) await s.close();
    await sqs.close();
  }
}
