// A DynamoDB endpoint (dynalite) in its own process, so its CPU never counts as the product's.
// Started by bench/lib/processes.ts; reports its endpoint over IPC and answers CPU-usage requests.
import { startDynalite } from '../../src/local/dynalite';

const path = process.env.BENCH_DYNALITE_PATH || undefined;
const dynamo = await startDynalite(path ? { path } : {});
process.on('message', (m: { type: string }) => {
  if (m.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
  if (m.type === 'close') void dynamo.close().then(() => process.exit(0));
});
process.send!({ type: 'ready', endpoint: dynamo.endpoint });
