// An SQS endpoint (the JSON protocol the SDK speaks, test/support/aws-json-server.ts) in its own
// process, so its CPU never counts as a receiver's: the ingest benchmarks' SQS sends are real SDK
// calls over loopback, counted here (the server side) and by the queue (the client side).
import { createHash, randomUUID } from 'node:crypto';
import { startAwsJsonServer } from '../../test/support/aws-json-server';

let sends = 0;
const server = await startAwsJsonServer('application/x-amz-json-1.0', (req) => {
  if (req.target.endsWith('.SendMessage')) sends++;
  const md5 = createHash('md5').update(String(req.body.MessageBody ?? '')).digest('hex');
  return { body: { MessageId: randomUUID(), MD5OfMessageBody: md5, SequenceNumber: String(sends) } };
});
// The stand-in records every request; the benchmarks send hundreds of thousands.
setInterval(() => server.requests.splice(0), 1_000).unref();
process.on('message', (m: { type: string }) => {
  if (m.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
  if (m.type === 'stats') process.send!({ type: 'stats', sends });
  if (m.type === 'close') void server.close().then(() => process.exit(0));
});
process.send!({ type: 'ready', url: server.url });
