// Lambda: badges, the dashboard and the JSON API behind their own Function URL (PUBLIC_URL).
import { handle } from 'hono/aws-lambda';
import { getAppSecrets } from '../secrets/app-secrets';
import { createReadApp } from '../wiring/app';
import { log, publicUrl, store } from './lambda-env';

const app = createReadApp({
  store,
  log,
  badgeSecret: async () => (await getAppSecrets()).badgeSecret ?? null,
  // Every instance must seal cursors alike: the key is derived from a secret they all read.
  cursorSecret: async () => {
    const s = await getAppSecrets();
    return s.badgeSecret ?? s.webhookSecret;
  },
  publicUrl,
});

export const handler = handle(app);
