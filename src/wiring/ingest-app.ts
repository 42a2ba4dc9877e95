import { createWebhookApp } from '../http/webhook-app';
import { sdkWebhookStore } from '../http/webhook-store';
import { httpDeps, type AppOptions } from './http-deps';

/**
 * The webhook intake alone over the AWS SDK store (tests). The ingest Lambda builds the same app
 * with its own AWS client instead (src/handlers/ingest.ts).
 */
export const createIngestApp = (opts: Omit<AppOptions, 'badgeSecret'>) => createWebhookApp({ ...httpDeps(opts), intake: sdkWebhookStore(opts.store) });
