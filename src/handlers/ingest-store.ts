/**
 * The intake's writes (src/http/webhook-store.ts) through the ingest function's own client
 * (./ingest-aws.ts): the same items, keys and conditions as src/store/deliveries.ts and
 * src/store/repos.ts `hideRepo` write through the AWS SDK — test/ingest-aws.test.ts reads both
 * back and compares them.
 */
import { randomUUID } from 'node:crypto';
import type { WebhookStore } from '../http/webhook-store';
import { deliveryKey, repoKey, ttlAfter } from '../store/keys';
import { AwsError, type AwsJsonClient } from './ingest-aws';

/** src/store/deliveries.ts DELIVERY_TTL_DAYS (that module loads the SDK; the test holds them equal). */
const DELIVERY_TTL_DAYS = 7;

const conditionFailed = (err: unknown) => err instanceof AwsError && err.name === 'ConditionalCheckFailedException';

export function dynamoWebhookStore(client: AwsJsonClient, table: string): WebhookStore {
  const call = (operation: string, input: object) => client.call('dynamodb', operation, { TableName: table, ...input });
  return {
    async recordDelivery({ deliveryId, event, now }) {
      const writer = randomUUID();
      try {
        await call('PutItem', {
          Item: {
            pk: { S: deliveryKey(deliveryId) },
            sk: { S: 'DELIVERY' },
            deliveryId: { S: deliveryId },
            event: { S: event },
            receivedAt: { S: now.toISOString() },
            ttl: { N: String(ttlAfter(now, DELIVERY_TTL_DAYS)) },
            writer: { S: writer },
          },
          // A retry of a put whose answer was lost finds its own item: still new, not a duplicate.
          ConditionExpression: 'attribute_not_exists(pk) OR writer = :writer',
          ExpressionAttributeValues: { ':writer': { S: writer } },
        });
        return 'new';
      } catch (err) {
        if (conditionFailed(err)) return 'duplicate';
        throw err;
      }
    },
    async forgetDelivery(deliveryId) {
      await call('DeleteItem', { Key: { pk: { S: deliveryKey(deliveryId) }, sk: { S: 'DELIVERY' } } });
    },
    async hideRepo(repo, now) {
      try {
        await call('UpdateItem', {
          Key: { pk: { S: repoKey(repo) }, sk: { S: 'META' } },
          UpdateExpression: 'SET #private = :true, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND #private <> :true',
          ExpressionAttributeNames: { '#private': 'private' },
          ExpressionAttributeValues: { ':true': { BOOL: true }, ':now': { S: now.toISOString() } },
        });
        return true;
      } catch (err) {
        if (conditionFailed(err)) return false;
        throw err;
      }
    },
    async ping() {
      await call('GetItem', { Key: { pk: { S: 'HEALTH' }, sk: { S: 'HEALTH' } } });
    },
  };
}
