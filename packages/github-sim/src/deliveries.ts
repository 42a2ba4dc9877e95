/**
 * Webhook deliveries and the stand-in's background work: each event is signed with the App's
 * webhook secret, delivered to the target and logged; `settled()` waits for what is still running.
 */
import type { StandInState } from './state';
import { signAndDeliver, type DeliveryResult, type WebhookEvent, type WebhookTarget } from './sign-and-deliver';

export class WebhookOutbox {
  target: WebhookTarget | undefined;
  webhookSecret: string;
  private pending = new Set<Promise<unknown>>();

  constructor(
    private readonly state: StandInState,
    webhook: { target?: WebhookTarget; secret: string } | undefined,
  ) {
    this.webhookSecret = webhook?.secret ?? 'development';
    this.target = webhook?.target;
  }

  /** Background work (webhook deliveries, redeliveries, auto-played runs) not finished yet. */
  get pendingWork(): number {
    return this.pending.size;
  }

  /** Waits for background work (webhook deliveries, redeliveries, auto-played runs) to finish. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Signs and delivers an event to the webhook target and logs it. Throws when no target is set. */
  async deliver(ev: WebhookEvent): Promise<DeliveryResult> {
    if (!this.target) throw new Error('stand-in: no webhook target (set opts.webhook.target or standIn.webhookTarget)');
    return this.track(signAndDeliver(this.target, { ...ev, secret: this.webhookSecret, state: this.state }));
  }

  /** Delivers when a target is set; state changes happen either way. */
  async maybeDeliver(ev: WebhookEvent): Promise<DeliveryResult | undefined> {
    return this.target ? this.deliver(ev) : undefined;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  background(work: () => Promise<unknown>): void {
    this.track(
      (async () => {
        await new Promise((r) => setImmediate(r));
        await work();
      })().catch((err: unknown) => {
        console.error('stand-in background work failed:', err);
      }),
    );
  }

  /** Re-sends a logged delivery in the background: the same guid and bytes, as GitHub redelivers. */
  redeliver(deliveryId: number): boolean {
    const original = this.state.deliveries.find((d) => d.id === deliveryId);
    if (!original) return false;
    const target = this.target;
    if (!target) return true;
    this.background(() =>
      signAndDeliver(target, {
        event: original.event,
        payload: JSON.parse(original.payload) as Record<string, unknown>,
        rawBody: original.payload,
        deliveryId: original.guid,
        redelivery: true,
        secret: this.webhookSecret,
        state: this.state,
      }),
    );
    return true;
  }
}
