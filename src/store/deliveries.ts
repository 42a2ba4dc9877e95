import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './dynamo';
import { ifCondition, putOnce } from './dynamo';
import { deliveryKey, ttlAfter } from './keys';

/** GitHub keeps deliveries redeliverable for 3 days; remember them a little longer. */
export const DELIVERY_TTL_DAYS = 7;

interface DeliveryItem {
  pk: string;
  sk: 'DELIVERY';
  deliveryId: string;
  event: string;
  receivedAt: string;
  ttl: number;
  /** This write's own id: the SDK's retry of a put whose answer was lost must not find a duplicate. */
  writer: string;
}

interface ClaimItem {
  pk: string;
  sk: string;
  value: string;
  ttl: number;
}

/**
 * Records a delivery unless it was seen before: one conditional write, the whole de-duplication.
 * Answers 'duplicate' when the same X-GitHub-Delivery was already accepted.
 */
export async function recordDelivery(
  ctx: StoreContext,
  d: { deliveryId: string; event: string; now: Date },
): Promise<'new' | 'duplicate'> {
  const item: DeliveryItem = {
    pk: deliveryKey(d.deliveryId),
    sk: 'DELIVERY',
    deliveryId: d.deliveryId,
    event: d.event,
    receivedAt: d.now.toISOString(),
    ttl: ttlAfter(d.now, DELIVERY_TTL_DAYS),
    writer: randomUUID(),
  };
  const r = await ifCondition(
    ctx.doc.send(
      new PutCommand({
        TableName: ctx.table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk) OR writer = :writer',
        ExpressionAttributeValues: { ':writer': item.writer },
      }),
    ),
  );
  return r ? 'new' : 'duplicate';
}

/** Undoes recordDelivery when the hand-off to the queue failed, so GitHub's redelivery is not taken for a duplicate. */
export async function forgetDelivery(ctx: StoreContext, deliveryId: string): Promise<void> {
  await ctx.doc.send(new DeleteCommand({ TableName: ctx.table, Key: { pk: deliveryKey(deliveryId), sk: 'DELIVERY' } }));
}

/**
 * Idempotency for the worker: the first processing of a delivery stores `value` under `key`;
 * any retry of the same delivery gets the stored value back instead of acting anew.
 */
export async function claim(
  ctx: StoreContext,
  c: { deliveryId: string; key: string; value: string; now: Date },
): Promise<{ value: string; first: boolean }> {
  const stored = await putOnce<ClaimItem>(ctx, { pk: deliveryKey(c.deliveryId), sk: `CLAIM#${c.key}`, value: c.value, ttl: ttlAfter(c.now, DELIVERY_TTL_DAYS) });
  return { value: stored.item.value, first: stored.created };
}
