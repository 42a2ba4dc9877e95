/**
 * The comparison view (an arm64 target against the x86 baseline) in Debian's Chromium, driven by
 * playwright-core against the app on a real socket, with a three-target run played through the loop.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smokeJUnit, TARGETS_CONFIG } from '../../src/local/sandbox';
import { seedRepo, startHarness, type Harness } from '../support/harness';
import { haveChromium, browseHarness, SHOTS } from './chromium';

const SHA = 'c0ffee'.padEnd(40, '0');

let h: Harness;
let close: (() => Promise<void>) | undefined;
let base: string;
let browser: Browser;
let dgxRun = '';

/** arm64 fails the aarch64-only test and takes `scale` times as long; x86 passes everything. */
function junit(scale: number, allPass: boolean): string {
  const xml = smokeJUnit('3.11').replace(/time="([\d.]+)"/g, (_m, t: string) => `time="${(Number(t) * 10 * scale).toFixed(2)}"`);
  return allPass ? xml.replace(/>\s*<failure[\s\S]*?<\/failure>\s*<\/testcase>/, '/>') : xml;
}

async function play(runId: number, runner: string, xml: string): Promise<void> {
  await h.gh.startRun(runId);
  const job = await h.gh.queueJob(runId, { name: 'test (3.11)' });
  await h.gh.startJob(job.id, { runnerName: runner });
  await h.gh.completeJob(job.id, 'success');
  h.gh.addArtifact(runId, { name: 'smoke-test-results', files: { 'smoke.xml': xml } });
  await h.gh.completeRun(runId, 'success');
  await h.settle();
}

describe.skipIf(!haveChromium)('comparison view in Chromium', () => {
  beforeAll(async () => {
    h = await startHarness({
      repos: [seedRepo({ files: { '.github/arm64-ci.yml': TARGETS_CONFIG } })],
      logLevel: 'warn',
    });
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: SHA }));
    const [dgx, graviton, x86] = h.gh.dispatches.filter((d) => d.inputs.sha === SHA);
    await play(dgx!.runId, 'dgx-01', junit(2, false));
    await play(graviton!.runId, 'graviton-01', junit(3, false));
    await play(x86!.runId, 'GitHub Actions 1', junit(1, true));
    dgxRun = h.gh.checkRuns('octo-org', 'widget').find((c) => c.name === 'arm64 CI (dgx)')!.externalId!;
    ({ base, browser, close } = await browseHarness(h));
  }, 120_000);

  afterAll(() => close?.() ?? h?.close());

  async function open(path: string, viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    return { page, problems };
  }

  it('shows the pass/fail diff and one duration-ratio bar per test, on a desktop and on a phone', async () => {
    for (const [name, viewport] of [
      ['compare-desktop', { width: 1280, height: 900 }],
      ['compare-phone', { width: 390, height: 844 }],
    ] as const) {
      const { page, problems } = await open(`/repos/octo-org/widget/runs/${dgxRun}/compare`, viewport);
      await expect(page.locator('h1').textContent()).resolves.toContain('dgx compared with x86');
      // The diff table: the test failing only on arm64, failed there and passed on x86.
      const row = page.getByRole('row', { name: /test_basic_api_availability/ });
      await expect(row.locator('td').allTextContents()).resolves.toEqual(['test_basic_api_availability', 'failed', 'passed']);
      // The chart: five tests passed on both, each 2× as long on dgx, every bar on the slower side.
      const chart = page.getByRole('img', { name: /Duration ratio per test, dgx ÷ x86: 5 tests, the largest 2\.00×/ });
      await expect(chart.getAttribute('data-bars')).resolves.toBe('5');
      await expect(chart.locator('g[data-test] rect').count()).resolves.toBe(5);
      const bars = await chart.locator('g[data-test] rect').evaluateAll((rs) => rs.map((r) => r.getAttribute('fill')));
      expect(new Set(bars)).toEqual(new Set(['#cf222e']));
      // It fits the screen: nothing scrolls sideways but the tables inside their own box.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      expect(problems).toEqual([]);
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
      await page.context().close();
    }
  });

  it('links from the repository page, where the targets stand side by side', async () => {
    const { page, problems } = await open('/repos/octo-org/widget', { width: 1280, height: 900 });
    const rows = page.locator('tr[data-target]');
    await expect(rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-target')))).resolves.toEqual(['dgx', 'graviton', 'x86']);
    await expect(page.locator('tr[data-target="graviton"] td.num').first().textContent()).resolves.toBe('5/6 (83%)');
    await expect(page.locator('tr[data-target="graviton"] td.num').nth(1).textContent()).resolves.toBe('3.00×');
    // Each target's trends: hovering a point says its date and value.
    await expect(page.locator('figure[data-target-trend]').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-target-trend')))).resolves.toEqual([
      'dgx',
      'graviton',
      'x86',
    ]);
    const tip = page.getByRole('tooltip');
    await page.locator('figure[data-target-trend="graviton"] svg[data-chart="pass-rate"] circle.point').first().hover();
    await tip.waitFor();
    await expect(tip.textContent()).resolves.toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC · 5\/6 passed \(83%\) · c0ffee0$/);
    await page.locator('figure[data-target-trend="x86"] svg[data-chart="target-duration"] circle.point').first().hover();
    await expect(tip.textContent()).resolves.toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC · ran \d+s · c0ffee0$/);
    await page.keyboard.press('Escape');
    await page.locator('tr[data-target="dgx"]').getByRole('link', { name: 'with x86' }).click();
    await page.waitForURL(`**/runs/${dgxRun}/compare`);
    await expect(page.locator('h1').textContent()).resolves.toContain('dgx compared with x86');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
