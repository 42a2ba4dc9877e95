// A scenario profiled with V8's sampling profiler after its warm-up (see bench/profile.ts): the
// ingest loop of one receiver, or a worker burst. The store and the GitHub stand-in run in their
// own processes, so the profile holds only this process's work.
import '../lib/env';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { benchStore, countingQueue, inProcess, type ContenderName } from '../lib/contenders';
import { headersFor, pushBody, webhookRequest, WEBHOOK_PATH } from '../lib/payload';
import { startChild, startDynamoChild } from '../lib/processes';
import { runWorkerBurst } from '../worker-burst';

const scenario = process.argv[2] ?? 'ours';
const out = process.argv[3] ?? `bench/.cache/profiles/${scenario}.cpuprofile`;
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });

const dynamo = await startDynamoChild();
try {
  if (scenario.endsWith('-http')) {
    // The receiver in its own process under autocannon load; the profile is the server's.
    const name = scenario.slice(0, -5);
    (await benchStore(dynamo.ready.endpoint, 'throughput')).doc.destroy();
    const server = await startChild<{ type: 'ready'; url: string }>('server.ts', { BENCH_CONTENDER: name, BENCH_DYNAMODB_ENDPOINT: dynamo.ready.endpoint });
    const body = pushBody();
    const { 'content-length': _length, ...headers } = headersFor(body);
    const load = (duration: number) =>
      autocannon({
        url: server.ready.url,
        connections: 10,
        duration,
        requests: [{ method: 'POST', path: WEBHOOK_PATH, body, setupRequest: (req) => ({ ...req, headers: { ...headers, 'x-github-delivery': randomUUID() } }) }],
      });
    await load(2);
    await server.ask({ type: 'profile-start' });
    const r = await load(6);
    await server.ask({ type: 'profile-stop', file: out });
    await server.close();
    process.stdout.write(`${r.requests.total} requests to ${name} over loopback (after 2 s to warm up)\n`);
    await dynamo.close();
    process.exit(0);
  }
  if (scenario === 'worker') {
    // The burst's own start-up (keys, clients) is a small share of 300 events; profile it all.
    await session.post('Profiler.start');
    const r = await runWorkerBurst(dynamo, { repos: 30, perRepo: 10 });
    process.stdout.write(`${r.events} events, ${r.workerCpuMsPerEvent} ms CPU/event\n`);
  } else {
    const store = await benchStore(dynamo.ready.endpoint, 'profile');
    const app = await inProcess(scenario as ContenderName, store, countingQueue());
    const body = pushBody();
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) await (await app.fetch(webhookRequest(body))).arrayBuffer();
    };
    await send(1500);
    await session.post('Profiler.start');
    await send(3000);
    store.doc.destroy();
    process.stdout.write(`3000 requests through ${scenario} (after 1500 to warm up)\n`);
  }
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(out, JSON.stringify(profile));
} finally {
  await dynamo.close();
}
process.exit(0);
