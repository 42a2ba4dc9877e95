import type { Logger } from '../log';
import type { Queue } from '../queue/queue';
import type { StoreContext } from '../store/dynamo';

export interface HttpDeps {
  store: StoreContext;
  queue: Queue;
  /** Resolved lazily on Lambda (Secrets Manager, once per cold start); a plain string locally. */
  webhookSecret: () => Promise<string>;
  badgeSecret: () => Promise<string | null>;
  /** Key material for sealing pagination cursors (http/cursors.ts); null → a random key per process. */
  cursorSecret: () => Promise<string | null>;
  log: Logger;
  now: () => Date;
  /** External base URL for links and badge snippets; null → derived from the request. */
  publicUrl: string | null;
  /**
   * Sandbox mode's offer to register a real App (src/local/register serves /setup): the GitHub
   * it would register on and whether a webhook channel is needed. null on AWS and in GitHub mode.
   */
  setup: { web: string; needsChannel: boolean } | null;
  /** The local server in sandbox mode (a GitHub stand-in, `npm run demo`): pages say how to start. */
  sandbox?: boolean;
}
