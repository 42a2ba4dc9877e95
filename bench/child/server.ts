// One webhook receiver on a loopback port (BENCH_CONTENDER = floor | ours | probot), in its own
// process so the load generator's CPU is not counted and the server's CPU can be read over IPC.
import '../lib/env';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { benchStore, countingQueue, listen, sqsQueue, type ContenderName } from '../lib/contenders';

const name = process.env.BENCH_CONTENDER as ContenderName;
const endpoint = process.env.BENCH_DYNAMODB_ENDPOINT;
const store = name === 'floor' || !endpoint ? null : await benchStore(endpoint, 'throughput');
// The real SQS client against the stand-in (bench/child/sqs.ts) when given; a counter otherwise.
const queue = process.env.BENCH_SQS_URL ? sqsQueue(process.env.BENCH_SQS_URL) : countingQueue();
const server = await listen(name, store, queue);
// bench/profile.ts <name>-http profiles the server between 'profile-start' and 'profile-stop'.
const session = new Session();
process.on('message', async (m: { type: string; file?: string }) => {
  if (m.type === 'profile-start') {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    process.send!({ type: 'profile-start' });
  }
  if (m.type === 'profile-stop') {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(m.file!, JSON.stringify(profile));
    process.send!({ type: 'profile-stop' });
  }
  if (m.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
  if (m.type === 'stats') process.send!({ type: 'stats', enqueued: queue.sent, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) });
  if (m.type === 'close') void server.close().then(() => process.exit(0));
});
process.send!({ type: 'ready', url: server.url });
