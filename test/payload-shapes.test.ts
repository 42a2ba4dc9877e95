// The worker's payload check (src/generated/payload-shapes.ts) against its sources: GitHub's
// webhook schemas, through the generator, and GitHub's published example payloads.
import Ajv from 'ajv';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { generatePayloadShapes, OUTPUT, payloadSchemas } from '../scripts/generate-payload-shapes';
import { classifyEvent, HANDLED_EVENTS, type HandledEvent } from '../src/core/events';
import { PAYLOAD_FIELDS } from '../src/worker/payload-fields';
import { payloadProblem } from '../src/worker/process';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
/** Every published example of an event and action the coordinator handles. */
const handled = examples.flatMap((g) =>
  g.examples.filter((p) => classifyEvent(g.name, p).handled).map((payload) => ({ event: g.name as HandledEvent, payload })),
);
const exampleOf = (event: HandledEvent, action?: string) =>
  structuredClone(handled.find((h) => h.event === event && (action === undefined || h.payload.action === action))!.payload) as Record<string, any>;

describe('the generated payload check', () => {
  it('comes from the release of GitHub’s webhook description that @octokit/webhooks’ payload types come from', () => {
    // @octokit/webhooks types payloads with @octokit/openapi-webhooks-types, generated from @octokit/openapi-webhooks.
    const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
    expect(version('@octokit/openapi-webhooks')).toBe(version('@octokit/openapi-webhooks-types'));
  });

  it('is what the generator makes of GitHub’s schemas and payload-fields.ts today (regenerate with `npm run generate`)', () => {
    expect(generatePayloadShapes()).toBe(readFileSync(OUTPUT, 'utf8'));
  });

  it('accepts every published example payload of every event and action the worker handles', () => {
    expect(new Set(handled.map((h) => h.event))).toEqual(new Set(HANDLED_EVENTS));
    expect(handled.map(({ event, payload }) => [event, payload.action, payloadProblem(event, payload)]).filter(([, , p]) => p !== null)).toEqual([]);
  });

  it('refuses a field of the wrong type, naming its path', () => {
    const cases: [HandledEvent, (p: Record<string, any>) => void, string][] = [
      ['push', (p) => (p.ref = {}), 'ref'],
      ['push', (p) => (p.repository = 5), 'repository'],
      ['push', (p) => delete p.after, 'after'],
      ['push', (p) => (p.installation = 'x'), 'installation'],
      ['pull_request', (p) => (p.pull_request.head.sha = 5), 'pull_request.head.sha'],
      ['pull_request', (p) => (p.pull_request.number = 0), 'pull_request.number'],
      ['issue_comment', (p) => (p.comment.id = 1.5), 'comment.id'],
      ['workflow_run', (p) => (p.workflow_run = []), 'workflow_run'],
      ['workflow_run', (p) => (p.workflow_run.id = '42'), 'workflow_run.id'],
      ['workflow_run', (p) => (p.workflow_run.pull_requests = [{ number: -1 }]), 'workflow_run.pull_requests.0.number'],
      ['workflow_job', (p) => (p.workflow_job.labels = ['arm64', 5]), 'workflow_job.labels.1'],
      ['workflow_job', (p) => (p.workflow_job.run_id = 2 ** 60), 'workflow_job.run_id'],
      ['check_run', (p) => (p.check_run.external_id = {}), 'check_run.external_id'],
      ['installation', (p) => (p.repositories = [{ full_name: 'o/r', private: 'yes' }]), 'repositories.0.private'],
      ['repository', (p) => (p.repository.owner = null), 'repository.owner'],
    ];
    for (const [event, mangle, path] of cases) {
      const payload = exampleOf(event);
      mangle(payload);
      expect({ event, problem: payloadProblem(event, payload)?.split(':')[0] }).toEqual({ event, problem: path });
    }
  });

  it('lets through what GitHub may add or leave out: new fields, new values, a null the handler copes with', () => {
    const run = exampleOf('workflow_run', 'completed');
    run.brand_new = { nested: true };
    run.workflow_run.status = 'a_status_from_the_future';
    run.workflow_run.conclusion = 'a_conclusion_from_the_future';
    run.workflow_run.new_field = [1, 2, 3];
    run.repository.default_branch = null;
    delete run.workflow_run.display_title;
    expect(payloadProblem('workflow_run', run)).toBeNull();
    const push = exampleOf('push');
    delete push.pusher;
    push.sender = null;
    expect(payloadProblem('push', push)).toBeNull();
  });

  it('decides exactly as Ajv does on the pruned JSON schemas it was generated from, for mangled example payloads', () => {
    const ajv = new Ajv({ strict: true });
    const schemas = payloadSchemas();
    const validators = Object.fromEntries(HANDLED_EVENTS.map((e) => [e, ajv.compile(schemas[e])]));
    const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
      v && typeof v === 'object' ? [at, ...Object.entries(v).flatMap(([k, c]) => paths(c, [...at, Array.isArray(v) ? Number(k) : k]))] : [at];
    /** `workflow_run.pull_requests.0.number` → `workflow_run.pull_requests[].number`, as payload-fields.ts writes it. */
    const asRead = (path: (string | number)[]) => path.map((s) => (typeof s === 'number' ? '[]' : s)).join('.').replaceAll('.[]', '[]');
    const read = (event: HandledEvent) => new Set(PAYLOAD_FIELDS[event].flatMap((p) => p.replaceAll('?', '').split('.').map((_, i, all) => all.slice(0, i + 1).join('.'))));
    const targets = handled.map(({ event, payload }) => {
      const all = paths(payload).filter((p) => p.length > 0);
      const fields = read(event);
      return { all, read: all.filter((p) => fields.has(asRead(p))) };
    });
    const value = fc.oneof(fc.string(), fc.integer({ min: -3, max: 3 }), fc.double(), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant([]), fc.constant(undefined));
    const cases = fc.sample(fc.tuple(fc.nat(handled.length - 1), fc.nat(), fc.boolean(), value), { numRuns: 3000, seed: 13 });
    let refused = 0;
    const disagreements: string[] = [];
    for (const [which, pick, onRead, v] of cases) {
      const { event, payload } = handled[which]!;
      const copy = structuredClone(payload) as Record<string, unknown>;
      // Half the time a field the handlers read (where the check has a say), else any.
      const t = targets[which]!;
      const pool = onRead && t.read.length > 0 ? t.read : t.all;
      const path = pool[pick % pool.length]!;
      let at: any = copy;
      for (const step of path.slice(0, -1)) at = at[step];
      if (v === undefined) delete at[path.at(-1)!];
      else at[path.at(-1)!] = v;
      const ours = payloadProblem(event, copy) === null;
      if (!ours) refused++;
      if (ours !== validators[event]!(copy)) disagreements.push(`${event} ${path.join('.')} = ${JSON.stringify(v)}`);
    }
    expect(disagreements).toEqual([]);
    // Not vacuous: many of the mangled payloads were refused, and many accepted.
    expect(refused).toBeGreaterThan(500);
    expect(refused).toBeLessThan(2500);
  });
});

describe('the generator', () => {
  it('stops on a field GitHub’s schema does not describe', () => {
    expect(() => payloadSchemas({ ...PAYLOAD_FIELDS, push: [...PAYLOAD_FIELDS.push, 'pusher?.nickname?'] })).toThrow(/does not describe these push payload fields: pusher\.nickname/);
  });

  it('stops when the handlers need a field GitHub’s schema lets be absent', () => {
    const needsDraft = PAYLOAD_FIELDS.pull_request.map((p) => (p === 'pull_request.draft?' ? 'pull_request.draft' : p));
    expect(() => payloadSchemas({ ...PAYLOAD_FIELDS, pull_request: needsDraft })).toThrow(/lets pull_request\.pull_request\.draft be absent/);
  });
});
