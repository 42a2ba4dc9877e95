import { sign } from '@octokit/webhooks-methods';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyEvent } from '../../src/core/events';
import { createLogger } from '../../src/log';
import type { QueueMessage } from '../../src/queue/queue';
import { createApp } from '../../src/wiring/app';
import { payloadProblem, PoisonMessageError, processMessage } from '../../src/worker/process';
import { figures, startRig, WEBHOOK_SECRET, type Rig } from '../support/rig';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];

let r: Rig;
let app: ReturnType<typeof createApp>;
const queued: QueueMessage[] = [];
beforeAll(async () => {
  r = await startRig({ logLevel: 'warn' });
  // The endpoint alone: what it hands over is collected here, and fed to the worker separately.
  app = createApp({
    store: r.store,
    queue: { send: async (m) => void queued.push(m) },
    log: createLogger({ level: 'error', write: () => {} }),
    webhookSecret: WEBHOOK_SECRET,
    badgeSecret: 'b',
    publicUrl: 'https://x.test',
  });
});
afterAll(async () => {
  await r.close();
});

const CONTRACT = new Set([202, 400, 401, 413]);
const post = (body: string | Uint8Array, headers: Record<string, string>) =>
  app.request('/api/github/webhooks', { method: 'POST', body: body as BodyInit, headers });
const signedHeaders = async (event: string, body: string, delivery = crypto.randomUUID()) => ({
  'content-type': 'application/json',
  'x-github-event': event,
  'x-github-delivery': delivery,
  'x-hub-signature-256': await sign(WEBHOOK_SECRET, body),
});

/** Realistic payloads of every event we act on, adapted to the seeded repository. */
function basePayloads(): { event: string; payload: Record<string, unknown> }[] {
  const repo = r.gh.repo('octo-org', 'widget');
  const ev = r.gh.events;
  const pr = { number: 5, headSha: 'a'.repeat(40), headRef: 'feature' };
  const own = [
    ev.pushEvent(repo, { ref: 'refs/heads/main', after: 'f'.repeat(40) }),
    ev.pullRequestEvent(repo, 'opened', pr),
    ev.issueCommentEvent(repo, { pr, body: '/arm64 status', user: 'maintainer' }),
  ].map((e) => ({ event: e.event, payload: e.payload as Record<string, unknown> }));
  const fromExamples = examples.flatMap((g) =>
    g.examples.filter((p) => classifyEvent(g.name, p).handled).map((p) => ({ event: g.name, payload: p })),
  );
  return [...own, ...fromExamples];
}

/** Every path into a JSON value, up to `depth` levels. */
function paths(v: unknown, depth = 4, prefix: (string | number)[] = []): (string | number)[][] {
  if (depth === 0 || !v || typeof v !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i).slice(0, 3) : Object.keys(v);
  return keys.flatMap((k) => [[...prefix, k], ...paths((v as Record<string | number, unknown>)[k], depth - 1, [...prefix, k])]);
}

/** Fields the handlers read: most mutations go there, where a wrong type could hurt. */
const READ = new Set(
  ('ref after before deleted pusher name repository full_name owner login private default_branch installation id sender type ' +
    'action pull_request number state draft merged user author_association head base sha repo issue comment body created_at ' +
    'check_run head_sha external_id requested_action identifier check_suite workflow_run status conclusion run_attempt html_url ' +
    'display_title event run_started_at updated_at pull_requests workflow_job run_id runner_name labels started_at completed_at ' +
    'repositories repositories_added repositories_removed').split(' '),
);
const focused = (all: (string | number)[][]) => all.filter((p) => p.every((k) => typeof k === 'number' || READ.has(k)));

/** A path to mangle: two times in three one the handlers read, else any. */
function pickPath(payload: unknown, pick: number): (string | number)[] {
  const all = paths(payload);
  const near = focused(all);
  const from = pick % 3 !== 0 && near.length > 0 ? near : all;
  return from[Math.floor(pick / 3) % from.length]!;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

const wrongValue = fc.oneof(
  fc.constant(null),
  fc.constant({}),
  fc.constant([]),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 20 }),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
);

describe('webhook endpoint under hostile input', () => {
  it('answers anything unsigned or wrongly signed with 400/401, never 500, and stores nothing', async () => {
    const header = fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), { nil: undefined });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          body: fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 }), fc.constant('')),
          event: header,
          delivery: header,
          signature: fc.oneof(header, fc.stringMatching(/^sha256=[0-9a-f]{64}$/)),
          contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        }),
        async (c) => {
          runs++;
          const headers: Record<string, string> = { 'content-type': c.contentType };
          if (c.event !== undefined) headers['x-github-event'] = c.event;
          if (c.delivery !== undefined) headers['x-github-delivery'] = c.delivery;
          if (c.signature !== undefined) headers['x-hub-signature-256'] = c.signature;
          const res = await post(c.body, headers);
          expect([400, 401]).toContain(res.status);
          expect(await res.json()).toHaveProperty('error');
        },
      ),
      { numRuns: 300 },
    );
    expect(queued).toHaveLength(0);
    expect(await r.items()).toHaveLength(0);
    figures('webhook: unsigned/mis-signed', { inputs: runs, status500: 0, itemsWritten: 0 });
  });

  it('answers validly signed but mangled payloads within the contract (202/400/413), never 500', async () => {
    const bases = basePayloads();
    const statuses = new Map<number, number>();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(bases.length - 1),
        fc.nat(),
        wrongValue,
        fc.boolean(),
        fc.oneof(fc.constant(-1), fc.nat()),
        async (which, pathPick, value, remove, truncateAt) => {
          runs++;
          const base = bases[which]!;
          const path = pickPath(base.payload, pathPick);
          let body = JSON.stringify(setAt(base.payload, path, value, remove));
          // Cut somewhere inside (never to nothing: an empty body is its own case above).
          if (truncateAt >= 0) body = body.slice(0, 1 + (truncateAt % Math.max(1, body.length - 1)));
          const res = await post(body, await signedHeaders(base.event, body));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(CONTRACT).toContain(res.status);
        },
      ),
      { numRuns: 400 },
    );
    figures('webhook: signed and mangled', { inputs: runs, ...Object.fromEntries([...statuses].map(([s, n]) => [`status${s}`, n])), status500: 0 });
  });

  it('answers the hand-picked wrong types, truncations and size limits as the contract says', async () => {
    const repo = r.gh.repo('octo-org', 'widget');
    const push = r.gh.events.pushEvent(repo, { ref: 'refs/heads/main', after: '1'.repeat(40) }).payload as Record<string, unknown>;
    const cases: [string, string, number][] = [
      ['push', JSON.stringify({ ...push, repository: 5 }), 202],
      ['push', JSON.stringify({ ...push, ref: {} }), 202],
      ['push', JSON.stringify({ ...push, installation: 'x' }), 202],
      ['push', JSON.stringify([push]), 400],
      ['push', 'null', 400],
      ['push', '"push"', 400],
      ['push', JSON.stringify(push).slice(0, 100), 400],
      ['push', JSON.stringify(push) + '}', 400],
      ['pull_request', JSON.stringify({ action: 'opened', pull_request: 'x' }), 202],
      ['workflow_run', JSON.stringify({ action: 'completed', workflow_run: [] }), 202],
    ];
    for (const [event, body, want] of cases) {
      const res = await post(body, await signedHeaders(event, body));
      expect({ body: body.slice(0, 60), status: res.status }).toEqual({ body: body.slice(0, 60), status: want });
    }
    // Over GitHub's 25 MiB: refused before it is read whole.
    const huge = '{"a":"' + 'x'.repeat(25 * 1024 * 1024) + '"}';
    expect((await post(huge, await signedHeaders('push', huge))).status).toBe(413);
    // Large but legal (a push of many commits): compacted to fit the queue, accepted.
    const many = JSON.stringify({ ...push, commits: Array.from({ length: 3000 }, (_, i) => ({ id: String(i).padStart(40, '0'), message: 'm'.repeat(100) })) });
    expect((await post(many, await signedHeaders('push', many))).status).toBe(202);
  });

  // A signed body over the queue's 240 KiB that nests 300,000 arrays deep parses (V8's JSON.parse
  // does not recurse) but would overflow the stack when compacted: it must be a 413, never a 500.
  it('answers a signed, deeply nested body too large for the queue with 413, not 500', async () => {
    const depth = 300_000;
    const body = '{"ref":"refs/heads/main","x":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
    const res = await post(body, await signedHeaders('push', body));
    expect(res.status).toBe(413);
  });
});

describe('worker under hostile payloads', () => {
  it('every payload the endpoint accepted ends processed or dropped as poison: never a retry loop', async () => {
    // Those the endpoint accepted above, and more mangled ones handed straight to the worker.
    const bases = basePayloads();
    const extra = fc.sample(
      fc.tuple(fc.nat(bases.length - 1), fc.nat(), wrongValue, fc.boolean()).map(([which, pick, value, remove]) => {
        const base = bases[which]!;
        return { event: base.event, payload: JSON.stringify(setAt(base.payload, pickPath(base.payload, pick), value, remove)) };
      }),
      { numRuns: 150, seed: 42 },
    );
    const messages: QueueMessage[] = [
      ...queued,
      ...extra.map((m, i) => ({ deliveryId: `fuzz-${i}`, event: m.event, payload: m.payload, receivedAt: new Date().toISOString(), groupId: 'g' })),
    ];
    const outcome = { processed: 0, poison: 0, shape: 0, other: [] as string[] };
    for (const msg of messages) {
      const shapeProblem = (() => {
        try {
          return payloadProblem(msg.event, JSON.parse(msg.payload));
        } catch {
          return 'not JSON';
        }
      })();
      try {
        await processMessage(r.deps, msg);
        outcome.processed++;
      } catch (err) {
        if (err instanceof PoisonMessageError) {
          outcome.poison++;
          if (shapeProblem) outcome.shape++;
        } else outcome.other.push(`${msg.event}: ${(err as Error).name}: ${(err as Error).message}`);
      }
    }
    // Retried errors would be 5xx or store failures; none may come from the payload itself.
    expect(outcome.other).toEqual([]);
    figures('worker: hostile payloads', {
      messages: messages.length,
      processed: outcome.processed,
      droppedAsPoison: outcome.poison,
      ofWhichShapeCheck: outcome.shape,
      retried: outcome.other.length,
    });
  }, 120_000);

  it('accepts every published example payload of the events it handles (the shape checks drop nothing real)', () => {
    const handled = examples.flatMap((g) => g.examples.filter((p) => classifyEvent(g.name, p).handled).map((p) => [g.name, p] as const));
    expect(handled.length).toBeGreaterThan(30);
    expect(handled.map(([e, p]) => [e, p.action, payloadProblem(e, p)]).filter(([, , prob]) => prob !== null)).toEqual([]);
  });
});
