/**
 * Webhook bodies can reach 25 MiB (a push of many commits); a queue message cannot. Only fields
 * the worker never reads are dropped, and only when the body does not fit as it is.
 */
const HEAVY_FIELDS: Record<string, string[][]> = {
  push: [['commits'], ['head_commit', 'added'], ['head_commit', 'removed'], ['head_commit', 'modified']],
  pull_request: [['pull_request', 'body']],
  issue_comment: [['issue', 'body']],
  check_suite: [['check_suite', 'pull_requests']],
  check_run: [['check_run', 'output'], ['check_run', 'pull_requests']],
  workflow_run: [['workflow_run', 'pull_requests'], ['workflow_run', 'head_commit']],
};

type Compacted = { ok: true; text: string; compacted: boolean } | { ok: false; reason: string };

export function compactPayload(event: string, text: string, payload: object, maxBytes: number): Compacted {
  if (Buffer.byteLength(text) <= maxBytes) return { ok: true, text, compacted: false };
  try {
    return compactLarge(event, payload, maxBytes);
  } catch (err) {
    // A body nested deeper than the stack (a hostile payload; GitHub sends nothing like it)
    // cannot be copied or serialized: refuse it rather than answer 500.
    if (err instanceof RangeError) return { ok: false, reason: `${event} payload is nested too deeply to process` };
    throw err;
  }
}

function compactLarge(event: string, payload: object, maxBytes: number): Compacted {
  const copy = structuredClone(payload) as Record<string, unknown>;
  for (const path of HEAVY_FIELDS[event] ?? []) {
    let node: Record<string, unknown> | undefined = copy;
    for (const key of path.slice(0, -1)) node = node?.[key] as Record<string, unknown> | undefined;
    if (node && typeof node === 'object') delete node[path[path.length - 1]!];
  }
  const out = JSON.stringify(copy);
  if (Buffer.byteLength(out) <= maxBytes) return { ok: true, text: out, compacted: true };
  return { ok: false, reason: `${event} payload is ${Buffer.byteLength(out)} bytes after compaction (limit ${maxBytes})` };
}
