import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DELIVERY_TTL_DAYS } from './deliveries';
import type { StoreContext } from './dynamo';
import { batchGet, getItem, ifCondition } from './dynamo';
import { checkpointKey, deliveryKey, ttlAfter } from './keys';

/**
 * Bookkeeping of the scheduled passes: how far a pass got (checkpoint) and which webhook
 * deliveries the redelivery pass asked GitHub to send again (claims). Single-item conditional
 * writes only, so two overlapping passes can never both act on the same thing.
 */

interface Checkpoint {
  /** Newest delivery (attempt) id the pass examined in full. */
  deliveryId: number;
  /** GitHub's delivered_at of that attempt. */
  deliveredAt: string;
  savedAt: string;
}

const CHECKPOINT_SK = 'CHECKPOINT';

export async function getCheckpoint(ctx: StoreContext, name: string): Promise<Checkpoint | null> {
  const it = await getItem<Checkpoint>(ctx, { pk: checkpointKey(name), sk: CHECKPOINT_SK }, { consistent: true });
  return it ? { deliveryId: it.deliveryId, deliveredAt: it.deliveredAt, savedAt: it.savedAt } : null;
}

/** Moves the checkpoint forward only: false when it already stood at or past `cp` (an overlapping pass). */
export async function advanceCheckpoint(ctx: StoreContext, name: string, cp: Omit<Checkpoint, 'savedAt'>, now: Date): Promise<boolean> {
  const r = await ifCondition(
    ctx.doc.send(
      new PutCommand({
        TableName: ctx.table,
        // Not history: one item per pass, overwritten, so it carries no ttl.
        Item: { pk: checkpointKey(name), sk: CHECKPOINT_SK, ...cp, savedAt: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk) OR deliveryId < :id',
        ExpressionAttributeValues: { ':id': cp.deliveryId },
      }),
    ),
  );
  return r !== null;
}

/** We asked GitHub to redeliver this guid `attempts` times, the last time from attempt `lastDeliveryId`. */
export interface RedeliveryClaim {
  guid: string;
  attempts: number;
  lastDeliveryId: number;
  claimedAt: string;
}

interface GuidState {
  /** Our DELIVERY item exists: the webhook route accepted this guid (whatever GitHub logged). */
  accepted: boolean;
  claim: RedeliveryClaim | null;
}

const REDELIVERY_SK = 'REDELIVERY';

/** For each guid: was it accepted, and what did earlier passes do with it? Consistent reads, 50 guids per request. */
export async function guidStates(ctx: StoreContext, guids: string[]): Promise<Map<string, GuidState>> {
  const out = new Map<string, GuidState>(guids.map((g) => [g, { accepted: false, claim: null }]));
  const keys = guids.flatMap((g) => [
    { pk: deliveryKey(g), sk: 'DELIVERY' },
    { pk: deliveryKey(g), sk: REDELIVERY_SK },
  ]);
  for (const it of await batchGet<Record<string, unknown>>(ctx, keys, { consistent: true })) {
    const guid = String(it.pk).slice('DELIVERY#'.length);
    const s = out.get(guid);
    if (!s) continue;
    if (it.sk === 'DELIVERY') s.accepted = true;
    else if (it.sk === REDELIVERY_SK) {
      s.claim = {
        guid,
        attempts: Number(it.attempts),
        lastDeliveryId: Number(it.lastDeliveryId),
        claimedAt: String(it.claimedAt),
      };
    }
  }
  return out;
}

/**
 * Takes the right to redeliver `guid` from attempt `deliveryId`: succeeds for exactly one caller
 * when several passes race, because it is conditional on the claim being as the caller last saw
 * it (`prev`: null when there was none). False when another pass got there first.
 */
export async function claimRedelivery(
  ctx: StoreContext,
  c: { guid: string; deliveryId: number; prev: RedeliveryClaim | null; now: Date },
): Promise<RedeliveryClaim | null> {
  const next: RedeliveryClaim = {
    guid: c.guid,
    attempts: (c.prev?.attempts ?? 0) + 1,
    lastDeliveryId: c.deliveryId,
    claimedAt: c.now.toISOString(),
  };
  const r = await ifCondition(
    ctx.doc.send(
      new PutCommand({
        TableName: ctx.table,
        Item: { pk: deliveryKey(c.guid), sk: REDELIVERY_SK, ...next, ttl: ttlAfter(c.now, DELIVERY_TTL_DAYS) },
        ...(c.prev
          ? {
              ConditionExpression: 'attempts = :a AND lastDeliveryId = :l',
              ExpressionAttributeValues: { ':a': c.prev.attempts, ':l': c.prev.lastDeliveryId },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    ),
  );
  return r ? next : null;
}

/** Gives a claim back after GitHub refused the redelivery for a passing reason, so a later pass tries again. */
export async function releaseRedelivery(ctx: StoreContext, mine: RedeliveryClaim, prev: RedeliveryClaim | null): Promise<void> {
  const Key = { pk: deliveryKey(mine.guid), sk: REDELIVERY_SK };
  const cond = {
    ConditionExpression: 'attempts = :a AND lastDeliveryId = :l',
    ExpressionAttributeValues: { ':a': mine.attempts, ':l': mine.lastDeliveryId } as Record<string, unknown>,
  };
  // A failed condition: someone moved it on since, so it is theirs now and there is nothing to give back.
  if (!prev) {
    await ifCondition(ctx.doc.send(new DeleteCommand({ TableName: ctx.table, Key, ...cond })));
    return;
  }
  await ifCondition(
    ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key,
        UpdateExpression: 'SET attempts = :pa, lastDeliveryId = :pl, claimedAt = :pc',
        ConditionExpression: cond.ConditionExpression,
        ExpressionAttributeValues: {
          ...cond.ExpressionAttributeValues,
          ':pa': prev.attempts,
          ':pl': prev.lastDeliveryId,
          ':pc': prev.claimedAt,
        },
      }),
    ),
  );
}
