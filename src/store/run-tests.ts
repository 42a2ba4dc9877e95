/**
 * Every test of one run attempt, packed (RUNS#<owner/repo>#<target>#<ref> / <ulid>#<attempt>[#<part>]):
 * an outcome code and a duration per test of the run's catalog (./test-pack.ts). One partition per
 * target and ref, so a branch's recent runs (duration history, slowdowns) are one query, newest
 * first. History: carries `ttl`. Keys: ./keys.ts.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './dynamo';
import { batchGet, getItem, queryPage, type StoreKey } from './dynamo';
import { runKey, runTestsKey } from './keys';
import { decodeRun, encodeRun, joinParts, splitParts, type PackedRun } from './test-pack';

export interface RunTestsItem {
  pk: string;
  sk: string;
  type: 'run-tests';
  repo: string;
  target: string;
  ref: string;
  dispatchId: string;
  attempt: number;
  sha: string;
  /** The catalog the codes and durations are in the order of. */
  catalog: string;
  parts: number;
  data: Uint8Array;
  at: string;
  ttl: number;
}

export interface RunTests extends PackedRun {
  dispatchId: string;
  attempt: number;
  sha: string;
  catalog: string;
  at: string;
}

export interface RunTestsKey {
  repo: string;
  target: string;
  ref: string;
  dispatchId: string;
  attempt: number;
}

const partSk = (k: { dispatchId: string; attempt: number }, part: number) =>
  part === 0 ? runKey(k.dispatchId, k.attempt) : `${runKey(k.dispatchId, k.attempt)}#${part}`;

/** Writes the run's packed tests: one item (more only past PART_BYTES). Returns the items written. */
export async function putRunTests(
  ctx: StoreContext,
  k: RunTestsKey & { sha: string; catalog: string; at: Date; ttl: number },
  run: PackedRun,
): Promise<number> {
  const parts = splitParts(encodeRun(run));
  for (let i = parts.length - 1; i >= 0; i--) {
    const item: RunTestsItem = {
      pk: runTestsKey(k.repo, k.target, k.ref),
      sk: partSk(k, i),
      type: 'run-tests',
      repo: k.repo,
      target: k.target,
      ref: k.ref,
      dispatchId: k.dispatchId,
      attempt: k.attempt,
      sha: k.sha,
      catalog: k.catalog,
      parts: parts.length,
      data: parts[i]!,
      at: k.at.toISOString(),
      ttl: k.ttl,
    };
    await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item }));
  }
  return parts.length;
}

function unpack(items: RunTestsItem[]): RunTests | null {
  const first = items.find((i) => i.sk === runKey(i.dispatchId, i.attempt));
  if (!first || items.length !== first.parts) return null;
  const ordered = [...items].sort((a, b) => a.sk.length - b.sk.length || (a.sk < b.sk ? -1 : 1));
  return {
    ...decodeRun(joinParts(ordered.map((i) => i.data))),
    dispatchId: first.dispatchId,
    attempt: first.attempt,
    sha: first.sha,
    catalog: first.catalog,
    at: first.at,
  };
}

/** One run attempt's packed tests, or null. */
export async function getRunTests(ctx: StoreContext, k: RunTestsKey): Promise<RunTests | null> {
  const pk = runTestsKey(k.repo, k.target, k.ref);
  const first = await getItem<RunTestsItem>(ctx, { pk, sk: partSk(k, 0) }, { consistent: false });
  if (!first) return null;
  const rest = first.parts > 1 ? await batchGet<RunTestsItem>(ctx, Array.from({ length: first.parts - 1 }, (_, i) => ({ pk, sk: partSk(k, i + 1) })), { consistent: false }) : [];
  return unpack([first, ...rest]);
}

/**
 * The latest `count` runs of a target on a ref, newest first, one per dispatch (its latest
 * attempt), leaving out `exclude` (the run being judged).
 */
export async function recentRunTests(
  ctx: StoreContext,
  k: { repo: string; target: string; ref: string },
  count: number,
  exclude?: string,
): Promise<RunTests[]> {
  const out: RunTests[] = [];
  const byRun = new Map<string, RunTestsItem[]>();
  const seen = new Set<string>();
  let after: StoreKey | null = null;
  do {
    const page: { items: RunTestsItem[]; lastKey: StoreKey | null } = await queryPage<RunTestsItem>(
      ctx,
      { where: 'pk = :pk', values: { ':pk': runTestsKey(k.repo, k.target, k.ref) }, descending: true },
      { limit: count + 2, after },
    );
    for (const item of page.items) {
      const key = runKey(item.dispatchId, item.attempt);
      const parts = byRun.get(key) ?? [];
      parts.push(item);
      byRun.set(key, parts);
      if (parts.length < item.parts) continue;
      byRun.delete(key);
      if (item.dispatchId === exclude || seen.has(item.dispatchId)) continue;
      seen.add(item.dispatchId);
      const run = unpack(parts);
      if (run) out.push(run);
      if (out.length >= count) return out;
    }
    after = page.lastKey;
  } while (after);
  return out;
}
