import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './dynamo';
import { isConditionFailed } from './dynamo';
import { OPEN_KEY } from './keys';

/**
 * The reconciler's index of dispatches that are not completed yet: one small item per dispatch
 * under one partition (`OPEN` / <dispatch id>), so a pass finds its candidates with one query
 * instead of a table scan, and no new index is needed.
 *
 * `dueAt` is when the reconciler should look at the dispatch next, and doubles as its lease: a
 * pass takes an item by moving `dueAt` forward with a condition on the value it read, so of two
 * overlapping passes only one acts on it. The item is written when the dispatch is created
 * (start-run), re-opened when GitHub re-runs a finished run (on-workflow-job), and deleted by the
 * reconciler once it finds the dispatch completed.
 */
export interface OpenDispatchItem {
  pk: typeof OPEN_KEY;
  sk: string;
  repo: string;
  dispatchId: string;
  dueAt: string;
  /** When a pass last asked GitHub about it (polls of a quiet run are spaced by this). */
  checkedAt?: string | null;
  ttl: number;
}

const key = (dispatchId: string) => ({ pk: OPEN_KEY, sk: dispatchId }) as const;

/** Adds a dispatch to the index unless it is there already (a retried start keeps its schedule). */
export async function openDispatch(ctx: StoreContext, o: { repo: string; dispatchId: string; dueAt: Date; ttl: number }): Promise<void> {
  const item: OpenDispatchItem = { ...key(o.dispatchId), repo: o.repo, dispatchId: o.dispatchId, dueAt: o.dueAt.toISOString(), ttl: o.ttl };
  try {
    await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
}

/**
 * Puts a dispatch back in the index (a new attempt of a finished run). Unconditional on purpose:
 * it also replaces a pass's lease, so that pass's conditional delete of a "completed" dispatch fails.
 */
export async function reopenDispatch(ctx: StoreContext, o: { repo: string; dispatchId: string; dueAt: Date; ttl: number }): Promise<void> {
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: key(o.dispatchId),
      UpdateExpression: 'SET #repo = :repo, dispatchId = :id, dueAt = :due, #ttl = :ttl',
      ExpressionAttributeNames: { '#repo': 'repo', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':repo': o.repo, ':id': o.dispatchId, ':due': o.dueAt.toISOString(), ':ttl': o.ttl },
    }),
  );
}

/**
 * Open dispatches due at `now`, oldest first, at most `max`. The items are tiny, so reading the
 * not-yet-due ones on the way (the filter applies after the read) stays cheap; `maxPages` bounds it.
 */
export async function dueOpenDispatches(ctx: StoreContext, now: Date, max: number, maxPages = 20): Promise<OpenDispatchItem[]> {
  const due: OpenDispatchItem[] = [];
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < maxPages && due.length < max; page++) {
    const r = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.table,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'dueAt <= :now',
        ExpressionAttributeValues: { ':pk': OPEN_KEY, ':now': now.toISOString() },
        ExclusiveStartKey: start,
      }),
    );
    due.push(...((r.Items ?? []) as OpenDispatchItem[]));
    start = r.LastEvaluatedKey;
    if (!start) break;
  }
  return due.slice(0, max);
}

async function conditional(ctx: StoreContext, cmd: UpdateCommand | DeleteCommand): Promise<boolean> {
  try {
    await ctx.doc.send(cmd as UpdateCommand);
    return true;
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
}

/** Takes the item until `until`, if nobody moved it since it was read. */
export function leaseOpen(ctx: StoreContext, item: OpenDispatchItem, until: Date): Promise<boolean> {
  return conditional(
    ctx,
    new UpdateCommand({
      TableName: ctx.table,
      Key: key(item.dispatchId),
      UpdateExpression: 'SET dueAt = :until',
      ConditionExpression: 'dueAt = :seen',
      ExpressionAttributeValues: { ':until': until.toISOString(), ':seen': item.dueAt },
    }),
  );
}

/** Sets the next check, if the caller's lease (`lease`: the dueAt it set) still holds. */
export function rescheduleOpen(ctx: StoreContext, dispatchId: string, lease: Date, next: Date, checkedAt: Date | null): Promise<boolean> {
  return conditional(
    ctx,
    new UpdateCommand({
      TableName: ctx.table,
      Key: key(dispatchId),
      UpdateExpression: checkedAt ? 'SET dueAt = :next, checkedAt = :checked' : 'SET dueAt = :next',
      ConditionExpression: 'dueAt = :lease',
      ExpressionAttributeValues: {
        ':next': next.toISOString(),
        ':lease': lease.toISOString(),
        ...(checkedAt ? { ':checked': checkedAt.toISOString() } : {}),
      },
    }),
  );
}

/** Drops a completed dispatch from the index, if the caller's lease still holds. */
export function forgetOpen(ctx: StoreContext, dispatchId: string, lease: Date): Promise<boolean> {
  return conditional(
    ctx,
    new DeleteCommand({
      TableName: ctx.table,
      Key: key(dispatchId),
      ConditionExpression: 'dueAt = :lease',
      ExpressionAttributeValues: { ':lease': lease.toISOString() },
    }),
  );
}
