/**
 * What the webhook route asks of the store: the three writes of intake, and a read for
 * `/healthz`. Locally and in tests they are the store's own functions over the AWS SDK (below);
 * the ingest function passes the same writes made through its lighter client
 * (src/handlers/ingest-store.ts), so that neither its bundle nor its requests carry the SDK.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { forgetDelivery, recordDelivery } from '../store/deliveries';
import type { StoreContext } from '../store/dynamo';
import { hideRepo } from '../store/repos';

export interface WebhookStore {
  /** Marks a known repository private (true when this call changed it). */
  hideRepo(repo: string, now: Date): Promise<boolean>;
  /** The de-duplication: one conditional put; 'duplicate' when the delivery id was seen before. */
  recordDelivery(d: { deliveryId: string; event: string; now: Date }): Promise<'new' | 'duplicate'>;
  /** Undoes recordDelivery when the queue refused the delivery. */
  forgetDelivery(deliveryId: string): Promise<void>;
  /** Throws when the store cannot be read (`/healthz`). */
  ping(): Promise<void>;
}

export function sdkWebhookStore(ctx: StoreContext): WebhookStore {
  return {
    hideRepo: (repo, now) => hideRepo(ctx, repo, now),
    recordDelivery: (d) => recordDelivery(ctx, d),
    forgetDelivery: (id) => forgetDelivery(ctx, id),
    ping: async () => {
      await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: { pk: 'HEALTH', sk: 'HEALTH' } }));
    },
  };
}
