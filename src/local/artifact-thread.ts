// The local server's smoke-artifact parser: core/smoke/artifact `readSmokeArtifact` in a worker
// thread. Locally the queue runs the worker in the same process as the HTTP server, so seconds of
// unzipping and parsing on the main thread would stall webhook intake (GitHub gives a delivery
// 10 s); in a thread they cost the event loop nothing. On Lambda the worker parses inline: no
// webhook shares its event loop.
import { Worker } from 'node:worker_threads';
import type { SmokeArtifact } from '../core/smoke/artifact';
import { ArtifactOverLimitError, type ParseSmokeArtifact } from '../worker/deps';

export interface ThreadRequest {
  id: number;
  zip: Uint8Array;
}

export type ThreadReply = { id: number; ok: true; result: SmokeArtifact } | { id: number; ok: false; error: string };

interface ArtifactThreadOptions {
  /**
   * The thread's heap limit in MB: an artifact that outgrows it ends the thread (the parse is
   * reported as over a limit and the next one starts a new thread), never the server.
   */
  maxHeapMb?: number;
  /**
   * For tests: an Int32Array's SharedArrayBuffer (3 slots). Before each parse the thread adds 1 to
   * slot 1 and waits while slot 0 is 0; after it, it adds 1 to slot 2. A test can then act while a
   * parse is provably under way in the thread.
   */
  gate?: SharedArrayBuffer;
}

export interface ArtifactThread {
  parse: ParseSmokeArtifact;
  close(): Promise<void>;
}

export function startArtifactThread(opts: ArtifactThreadOptions = {}): ArtifactThread {
  interface Pending {
    zip: Uint8Array;
    resolve: (r: SmokeArtifact) => void;
    reject: (e: Error) => void;
  }
  const heapMb = opts.maxHeapMb ?? 1024;
  let worker: Worker | null = null;
  let nextId = 1;
  let closed = false;
  // In the order they were posted, which is the order the thread works through them.
  const pending = new Map<number, Pending>();

  const post = (id: number, p: Pending) => {
    worker ??= spawn();
    pending.set(id, p);
    // Kept alive only while a parse is pending, so an idle thread never holds the process open.
    worker.ref();
    worker.postMessage({ id, zip: p.zip } satisfies ThreadRequest);
  };

  /**
   * The thread died (out of memory, or a bug). The artifact it was parsing is the oldest pending
   * one: only that parse fails; the others, queued behind it (other repositories' artifacts), go
   * to a new thread.
   */
  const died = (w: Worker, err: Error) => {
    if (worker !== w) return; // already handled ('error' is followed by 'exit'), or closed
    worker = null;
    const [culprit, ...queued] = [...pending.entries()];
    pending.clear();
    const outOfMemory = (err as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    culprit?.[1].reject(outOfMemory ? new ArtifactOverLimitError(`the parser ran out of its ${heapMb} MB of memory`) : err);
    for (const [id, p] of queued) post(id, p);
  };

  const spawn = (): Worker => {
    const w = threadFor(new URL('./artifact-thread-entry.ts', import.meta.url), {
      workerData: { gate: opts.gate },
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
    w.on('message', (reply: ThreadReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(reply.error));
      if (pending.size === 0) w.unref();
    });
    w.on('error', (err) => died(w, err));
    w.on('exit', (code) => died(w, new Error(`the parser thread stopped (exit code ${code})`)));
    return w;
  };

  return {
    parse(zip) {
      if (closed) return Promise.reject(new Error('the artifact parser is closed'));
      return new Promise<SmokeArtifact>((resolve, reject) => post(nextId++, { zip, resolve, reject }));
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      for (const p of pending.values()) p.reject(new Error('the artifact parser is closed'));
      pending.clear();
      await w?.terminate();
    },
  };
}

/**
 * A worker thread running `entry`. From TypeScript source (`npm start` runs under tsx, tests under
 * vitest) the thread must register tsx itself: Node 20 does not pass the parent's loader hooks to
 * worker threads. The local server is never bundled (the Lambda bundles parse inline).
 */
function threadFor(entry: URL, options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
