/**
 * Read-only batch reads for the dashboard: a page of repositories or a run's test list would
 * otherwise cost one GetItem per row. Nothing here writes.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { chunk } from '../core/smoke';
import type { StoreContext } from './dynamo';
import type { WorkflowRunPointer } from './dispatches';
import { repoKey, workflowRunKey } from './keys';
import { refSmokeSk, runKey, testKey, type RefSmokeItem, type TestRunItem } from './results';

const TRIES = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** BatchGetItem in groups of 100, resending what DynamoDB left unprocessed. Eventually consistent: a dashboard may lag a second. */
async function batchGet<T>(ctx: StoreContext, keys: { pk: string; sk: string }[]): Promise<T[]> {
  const out: T[] = [];
  for (const group of chunk(keys, 100)) {
    let pending: Record<string, unknown>[] = group;
    for (let tries = 0; pending.length > 0; tries++) {
      if (tries >= TRIES) throw new Error(`DynamoDB left ${pending.length} reads unprocessed after ${tries} tries`);
      if (tries > 0) await sleep(20 * 2 ** tries);
      const r = await ctx.doc.send(new BatchGetCommand({ RequestItems: { [ctx.table]: { Keys: pending } } }));
      out.push(...((r.Responses?.[ctx.table] ?? []) as T[]));
      pending = (r.UnprocessedKeys?.[ctx.table]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return out;
}

/** The rolling smoke rate of several refs at once (e.g. each listed repository's default branch), keyed `repo(lower-case)\0ref`. */
export async function refSmokesOf(ctx: StoreContext, refs: { repo: string; ref: string }[]): Promise<Map<string, RefSmokeItem>> {
  const unique = new Map(refs.map((r) => [`${r.repo.toLowerCase()}\0${r.ref}`, { pk: repoKey(r.repo), sk: refSmokeSk(r.ref) }]));
  const items = await batchGet<RefSmokeItem>(ctx, [...unique.values()]);
  return new Map(items.map((i) => [`${i.repo.toLowerCase()}\0${i.ref}`, i]));
}

/** Each given test's record of one run attempt (name, outcome, flaky), keyed by test hash; tests without a record are absent. */
export async function testRunsOf(
  ctx: StoreContext,
  run: { repo: string; dispatchId: string; attempt: number },
  hashes: string[],
): Promise<Map<string, TestRunItem>> {
  const sk = runKey(run.dispatchId, run.attempt);
  const byPk = new Map(hashes.map((h) => [testKey(run.repo, h), h]));
  const items = await batchGet<TestRunItem>(ctx, [...byPk.keys()].map((pk) => ({ pk, sk })));
  const out = new Map<string, TestRunItem>();
  for (const i of items) {
    const hash = byPk.get(i.pk);
    if (hash) out.set(hash, i);
  }
  return out;
}

/** The dispatch behind each workflow run id (the WFRUN pointers), for links from a runner's last job to its run page. */
export async function dispatchesOfWorkflowRuns(ctx: StoreContext, runIds: number[]): Promise<Map<number, WorkflowRunPointer>> {
  const unique = [...new Set(runIds)];
  const items = await batchGet<WorkflowRunPointer>(ctx, unique.map((id) => ({ pk: workflowRunKey(id), sk: 'WFRUN' })));
  return new Map(items.map((p) => [Number(p.pk.slice('WFRUN#'.length)), p]));
}
