import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './dynamo';
import { ifCondition, queryPage } from './dynamo';
import { LEGACY_OPEN_KEY, OPEN_SHARDS, openKey } from './keys';
import { GSI } from './schema';

/**
 * The reconciler's list of dispatches that are not completed yet: one small item per dispatch
 * (`OPEN#<shard>` / <dispatch id>), spread over OPEN_SHARDS partitions, and found by due time
 * through the sparse `due` index (pk, dueAt): a pass reads only what is due, however many
 * dispatches have come and gone.
 *
 * `dueAt` is when the reconciler should look at the dispatch next, and doubles as its lease: a
 * pass takes an item by moving `dueAt` forward with a condition on the value it read, so of two
 * overlapping passes only one acts on it. The item is written when the dispatch is created
 * (start-run), re-opened when GitHub re-runs a finished run (on-workflow-job), and deleted when
 * the dispatch completes (closeOpen, by the worker) or when a pass finds it completed.
 * `attempt` makes closing race-safe with re-runs: a late completion of attempt 1 cannot close
 * the item a re-run (attempt 2) re-opened.
 */
export interface OpenDispatchItem {
  pk: string;
  sk: string;
  repo: string;
  dispatchId: string;
  dueAt: string;
  /** The run attempt it is open for (absent on items written before attempts were kept: any). */
  attempt?: number;
  /** When a pass last asked GitHub about it (polls of a quiet run are spaced by this). */
  checkedAt?: string | null;
  ttl: number;
}

const key = (dispatchId: string) => ({ pk: openKey(dispatchId), sk: dispatchId });
/** An item read from the index carries its own key (a legacy item lives under LEGACY_OPEN_KEY). */
const keyOf = (item: Pick<OpenDispatchItem, 'pk' | 'dispatchId'>) => ({ pk: item.pk, sk: item.dispatchId });

/** Adds a dispatch to the list unless it is there already (a retried start keeps its schedule). */
export async function openDispatch(
  ctx: StoreContext,
  o: { repo: string; dispatchId: string; dueAt: Date; ttl: number; attempt?: number },
): Promise<void> {
  const item: OpenDispatchItem = {
    ...key(o.dispatchId),
    repo: o.repo,
    dispatchId: o.dispatchId,
    dueAt: o.dueAt.toISOString(),
    attempt: o.attempt ?? 1,
    ttl: o.ttl,
  };
  await ifCondition(ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })));
}

/**
 * Puts a dispatch back in the list for a new attempt of a finished run. Unconditional on
 * purpose: it also replaces a pass's lease, so that pass's conditional delete of a "completed"
 * dispatch fails; and it records the attempt, so a late close of an earlier attempt fails too.
 */
export async function reopenDispatch(
  ctx: StoreContext,
  o: { repo: string; dispatchId: string; dueAt: Date; ttl: number; attempt: number },
): Promise<void> {
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: key(o.dispatchId),
      UpdateExpression: 'SET #repo = :repo, dispatchId = :id, dueAt = :due, attempt = :attempt, #ttl = :ttl',
      ExpressionAttributeNames: { '#repo': 'repo', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':repo': o.repo, ':id': o.dispatchId, ':due': o.dueAt.toISOString(), ':attempt': o.attempt, ':ttl': o.ttl },
    }),
  );
}

/**
 * Drops a dispatch whose attempt `attempt` completed, unless a later attempt re-opened it: one
 * conditional delete (the worker calls it when it records a completion).
 */
export async function closeOpen(ctx: StoreContext, dispatchId: string, attempt: number): Promise<boolean> {
  return conditional(
    ctx,
    new DeleteCommand({
      TableName: ctx.table,
      Key: key(dispatchId),
      ConditionExpression: 'attribute_not_exists(attempt) OR attempt <= :attempt',
      ExpressionAttributeValues: { ':attempt': attempt },
    }),
  );
}

/** Every partition a pass looks in: the shards, and the one list of before sharding. */
const PARTITIONS = [...Array.from({ length: OPEN_SHARDS }, (_, i) => `OPEN#${i}`), LEGACY_OPEN_KEY];

/**
 * Open dispatches due at `now`, the longest overdue first, at most `max`: one index query per
 * partition, reading due items only (what is not due, or already closed, is never read).
 */
export async function dueOpenDispatches(ctx: StoreContext, now: Date, max: number): Promise<OpenDispatchItem[]> {
  const pages = await Promise.all(
    PARTITIONS.map((pk) =>
      queryPage<OpenDispatchItem>(
        ctx,
        { index: GSI.due.name, where: 'pk = :pk AND dueAt <= :now', values: { ':pk': pk, ':now': now.toISOString() } },
        { limit: max },
      ),
    ),
  );
  return pages
    .flatMap((p) => p.items)
    .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0))
    .slice(0, max);
}

async function conditional(ctx: StoreContext, cmd: UpdateCommand | DeleteCommand): Promise<boolean> {
  return (await ifCondition(ctx.doc.send(cmd as UpdateCommand))) !== null;
}

/** Takes the item until `until`, if nobody moved it since it was read. */
export function leaseOpen(ctx: StoreContext, item: OpenDispatchItem, until: Date): Promise<boolean> {
  return conditional(
    ctx,
    new UpdateCommand({
      TableName: ctx.table,
      Key: keyOf(item),
      UpdateExpression: 'SET dueAt = :until',
      ConditionExpression: 'dueAt = :seen',
      ExpressionAttributeValues: { ':until': until.toISOString(), ':seen': item.dueAt },
    }),
  );
}

/** Sets the next check, if the caller's lease (`lease`: the dueAt it set) still holds. */
export function rescheduleOpen(ctx: StoreContext, item: OpenDispatchItem, lease: Date, next: Date, checkedAt: Date | null): Promise<boolean> {
  return conditional(
    ctx,
    new UpdateCommand({
      TableName: ctx.table,
      Key: keyOf(item),
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

/** Drops a completed dispatch from the list, if the caller's lease still holds. */
export function forgetOpen(ctx: StoreContext, item: OpenDispatchItem, lease: Date): Promise<boolean> {
  return conditional(
    ctx,
    new DeleteCommand({
      TableName: ctx.table,
      Key: keyOf(item),
      ConditionExpression: 'dueAt = :lease',
      ExpressionAttributeValues: { ':lease': lease.toISOString() },
    }),
  );
}
