import { SmeeClient } from 'smee-client';
import type { Logger } from '../log';

export interface Forwarder {
  /** Resolves once the channel's event stream is open (rejects if it never opens). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * WEBHOOK_PROXY_URL: GitHub delivers to a smee.io channel, and smee-client carries each delivery
 * (headers and body) from the channel's event stream to the local webhook route, which checks the
 * signature as for a direct delivery. Its log lines go to our JSON log, never to stdout as text.
 */
export function forwardWebhooks(source: string, target: string, log: Logger): Forwarder {
  const l = log.child({ component: 'webhook-proxy' });
  const client = new SmeeClient({
    source,
    target,
    logger: {
      info: (msg: unknown) => l.debug(String(msg)),
      error: (msg: unknown, err?: unknown) => l.warn(String(msg), err instanceof Error ? { error: err.message } : {}),
    },
  });
  const ready = client.start().then(
    () => l.info('forwarding webhooks', { from: source, to: target }),
    (err: unknown) => {
      l.error('webhook proxy channel did not open', { from: source, error: (err as { message?: string })?.message ?? String(err) });
      throw err;
    },
  );
  ready.catch(() => undefined);
  return { ready, close: () => client.stop() };
}
