/**
 * `npm run register`: the registration pages on their own small server, for when the app does not
 * run here — on AWS (`--stack`) the App's webhook is the stack's WebhookUrl and its credentials go
 * to the stack's secret. Closes itself once the App is registered.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log';
import type { RegisteredApp } from './convert';
import type { GitHubHost } from './hosts';
import { registrationRoutes } from './routes';

export interface StandaloneOptions {
  host: GitHubHost;
  appYml: string;
  webhookUrl: string | null;
  homepage: string | null;
  offerChannel: boolean;
  newChannelUrl?: string;
  port: number;
  log: Logger;
  save(app: RegisteredApp, extra: { webhookProxyUrl: string | null }): Promise<string>;
}

export interface Standalone {
  url: string;
  /** Resolves with the App once it is registered and saved. */
  registered: Promise<RegisteredApp>;
  close(): Promise<void>;
}

export async function startRegisterServer(opts: StandaloneOptions): Promise<Standalone> {
  let done!: (app: RegisteredApp) => void;
  const registered = new Promise<RegisteredApp>((r) => (done = r));
  const root = new Hono();
  root.get('/', (c) => c.redirect('/setup'));
  root.route(
    '/setup',
    registrationRoutes({
      ...opts,
      save: async (app, extra) => {
        const where = await opts.save(app, extra);
        done(app);
        return where;
      },
    }),
  );
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: root.fetch, port: opts.port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    registered,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
