// The worker thread of ./artifact-thread.ts: parses smoke-test artifacts, one message at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { readSmokeArtifact } from '../core/smoke/artifact';
import type { ThreadReply, ThreadRequest } from './artifact-thread';

const gate = (workerData as { gate?: SharedArrayBuffer } | null)?.gate;
const g = gate ? new Int32Array(gate) : null;

parentPort!.on('message', (req: ThreadRequest) => {
  if (g) {
    // Test gate (see ArtifactThreadOptions.gate): say a parse is under way, wait to be let through.
    Atomics.add(g, 1, 1);
    Atomics.notify(g, 1);
    Atomics.wait(g, 0, 0);
  }
  let reply: ThreadReply;
  try {
    reply = { id: req.id, ok: true, result: readSmokeArtifact(req.zip) };
  } catch (err) {
    // readSmokeArtifact never throws by design; this keeps a bug from hanging the caller.
    reply = { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (g) {
    Atomics.add(g, 2, 1);
    Atomics.notify(g, 2);
  }
  parentPort!.postMessage(reply);
});
