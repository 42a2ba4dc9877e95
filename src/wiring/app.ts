import { createHttpApp } from '../http/app';
import { createWebApp } from '../http/web-app';
import { httpDeps, type AppOptions } from './http-deps';

export type { AppOptions } from './http-deps';

/** Every route in one app: the local server and the tests. */
export const createApp = (opts: AppOptions) => createHttpApp(httpDeps(opts));

/** The web Lambda: badges, dashboard and JSON API; it never receives webhooks. */
export const createReadApp = (opts: Omit<AppOptions, 'queue' | 'webhookSecret'>) =>
  createWebApp(
    httpDeps({ ...opts, queue: { send: () => Promise.reject(new Error('the web function does not enqueue')) }, webhookSecret: '' }),
  );
