import { createWebhookApp } from '../http/webhook-app';
import { httpDeps, type AppOptions } from './http-deps';

/** The ingest Lambda: webhook intake only, so its bundle and cold start stay small. */
export const createIngestApp = (opts: Omit<AppOptions, 'badgeSecret'>) => createWebhookApp(httpDeps(opts));
