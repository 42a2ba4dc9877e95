/**
 * What the browser tests share: Debian's Chromium (never a downloaded one) launched headless by
 * playwright-core, the app served on a real socket, and both closed with the harness afterwards.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { expect } from 'vitest';
import type { Harness } from '../support/harness';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
/** Screenshots each test saves (test-results/ is kept out of git). */
export const SHOTS = join(process.cwd(), 'test-results', 'screenshots');

export function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // No network of its own: nothing but the app under test is ever fetched.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * The harness's app on 127.0.0.1 at a free port and a Chromium to browse it; `close` stops both
 * and the harness, checking every request the coordinator sent GitHub was one GitHub would accept.
 */
export async function browseHarness(h: Harness): Promise<{ base: string; browser: Browser; close(): Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const browser = await launchChromium();
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    browser,
    async close() {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
      expect(h.gh.violations).toEqual([]);
      await h.close();
    },
  };
}
