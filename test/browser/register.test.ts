/**
 * Registering the App as a user does it, in Chromium: the sandbox's home page → "Register the
 * GitHub App on GitHub" → the page posts the manifest to GitHub's "new App" page (the stand-in,
 * which sends the browser straight back as GitHub does after "Create GitHub App") → the success
 * page with the install link, .env written, and the server back in GitHub mode.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseEnv } from 'dotenv';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandIn, type GitHubStandIn } from '@arm64-ci/github-sim';
import { superviseLocal, type Supervised } from '../../src/local/supervise';
import { startSmeeServer, type SmeeServer } from '../support/smee-server';
import { haveChromium, launchChromium, SHOTS } from './chromium';


let gh: GitHubStandIn;
let smee: SmeeServer;
let sup: Supervised;
let browser: Browser;
let envFile: string;

describe.skipIf(!haveChromium)('registering the App in Chromium', () => {
  beforeAll(async () => {
    gh = await startGitHubStandIn({});
    smee = await startSmeeServer();
    envFile = join(mkdtempSync(join(tmpdir(), 'register-browser-')), '.env');
    sup = await superviseLocal({ env: { PORT: '0', LOG_LEVEL: 'error', GITHUB_API_URL: gh.url }, inMemory: true, envFile, newChannelUrl: `${smee.url}/new` });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sup?.close();
    await gh?.close();
    await smee?.close();
  });

  it('clicking "Register" ends on the install link, with .env written and GitHub mode running', async () => {
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto(`${sup.current.url}/`);
    await page.screenshot({ path: join(SHOTS, 'register-home.png'), fullPage: true });
    await page.getByRole('button', { name: 'Register the GitHub App on GitHub' }).click();
    await page.waitForURL(/\/setup\/callback\?/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Registered arm64 CI/);
    const install = await page.locator('#install').getAttribute('href');
    expect(install).toBe(`${gh.url}/_html/apps/${gh.state.app!.slug}/installations/new`);
    await page.screenshot({ path: join(SHOTS, 'register-done.png') });
    expect(blocked).toEqual([]);

    const next = await sup.nextStart();
    expect(next.settings.mode).toBe('github');
    expect(parseEnv(readFileSync(envFile, 'utf8')).APP_ID).toBe(String(gh.state.app!.id));
  });
});
