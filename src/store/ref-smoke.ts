/**
 * A ref's latest runs with results and the rolling pass rate over them (REPO#<owner/repo> /
 * SMOKE#<ref>): one item, version-conditional puts. History: carries `ttl`. Keys: ./keys.ts.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { rollingRate } from '../core/smoke/compare';
import type { Counts } from '../core/test-results';
import type { StoreContext } from './dynamo';
import { batchGet, getItem, isConditionFailed } from './dynamo';
import { refSmokeSk, repoKey } from './keys';
import { RECENT_RUNS } from './test-history-codec';

export interface RefRunEntry {
  dispatchId: string;
  attempt: number;
  sha: string;
  counts: Counts;
}

/** A ref's latest runs with results (newest first) and the rolling pass rate over them. */
export interface RefSmokeItem {
  pk: string;
  sk: string;
  type: 'ref-smoke';
  repo: string;
  ref: string;
  runs: RefRunEntry[];
  rollingRate: number | null;
  rollingRuns: number;
  version: number;
  updatedAt: string;
  ttl: number;
}

export async function getRefSmoke(ctx: StoreContext, repo: string, ref: string): Promise<RefSmokeItem | null> {
  return getItem<RefSmokeItem>(ctx, { pk: repoKey(repo), sk: refSmokeSk(ref) }, { consistent: true });
}

/**
 * Adds a run to its ref's window (a new attempt replaces the dispatch's earlier entry) and
 * recomputes the rolling rate. Optimistic concurrency on `version`: one conditional put, re-read
 * and retried on a lost race.
 */
export async function recordRefRun(
  ctx: StoreContext,
  p: { repo: string; ref: string; entry: RefRunEntry; now: Date; ttl: number },
): Promise<RefSmokeItem> {
  for (let tries = 0; ; tries++) {
    const old = await getRefSmoke(ctx, p.repo, p.ref);
    const runs = [p.entry, ...(old?.runs ?? []).filter((r) => r.dispatchId !== p.entry.dispatchId)]
      .sort((a, b) => (a.dispatchId < b.dispatchId ? 1 : a.dispatchId > b.dispatchId ? -1 : 0))
      .slice(0, RECENT_RUNS);
    const rolling = rollingRate(runs.map((r) => r.counts), RECENT_RUNS);
    const item: RefSmokeItem = {
      pk: repoKey(p.repo),
      sk: refSmokeSk(p.ref),
      type: 'ref-smoke',
      repo: p.repo,
      ref: p.ref,
      runs,
      rollingRate: rolling.rate,
      rollingRuns: rolling.runs,
      version: (old?.version ?? 0) + 1,
      updatedAt: p.now.toISOString(),
      ttl: p.ttl,
    };
    try {
      await ctx.doc.send(
        new PutCommand({
          TableName: ctx.table,
          Item: item,
          ConditionExpression: old ? 'version = :v' : 'attribute_not_exists(pk)',
          ...(old ? { ExpressionAttributeValues: { ':v': old.version } } : {}),
        }),
      );
      return item;
    } catch (err) {
      if (!isConditionFailed(err) || tries >= 4) throw err;
    }
  }
}

/** The rolling smoke rate of several refs at once (e.g. each listed repository's default branch), keyed `repo(lower-case)\0ref`. */
export async function refSmokesOf(ctx: StoreContext, refs: { repo: string; ref: string }[]): Promise<Map<string, RefSmokeItem>> {
  const unique = new Map(refs.map((r) => [`${r.repo.toLowerCase()}\0${r.ref}`, { pk: repoKey(r.repo), sk: refSmokeSk(r.ref) }]));
  const items = await batchGet<RefSmokeItem>(ctx, [...unique.values()], { consistent: false });
  return new Map(items.map((i) => [`${i.repo.toLowerCase()}\0${i.ref}`, i]));
}
