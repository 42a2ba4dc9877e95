/**
 * The dashboard in a real browser: Debian's Chromium (never a downloaded one) driven by
 * playwright-core against the app on a real socket, with data played through the whole loop.
 * Each test saves screenshots to test-results/screenshots/ (kept out of git).
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { badgeToken } from '../../src/http/badge-token';
import { PUBLIC_URL, startHarness, type Harness } from '../support/harness';
import { dashboardRepos, pushAndPlay, sha, smokeXml } from './seed';
import { CHROMIUM, haveChromium, browseHarness, SHOTS } from './chromium';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const WIDE = { width: 1920, height: 1080 };

const FAILING = 'test_basic_api_availability';

let h: Harness;
let close: (() => Promise<void>) | undefined;
let base: string;
let browser: Browser;
const seeded = { widgetRuns: [] as string[], gadgetRun: '', mainWithResults: 0 };

async function seed(): Promise<void> {
  // main: three runs with results (one fails a test, one flaky across matrix files, one all green),
  // then one without an artifact; release/1.0: one run; gadget (private): one run.
  seeded.widgetRuns.push((await pushAndPlay(h, 1)).dispatchId);
  seeded.widgetRuns.push(
    (await pushAndPlay(h, 2, { files: { 'py3.10.xml': smokeXml({ python: '3.10' }), 'py3.11.xml': smokeXml({ python: '3.11', allPass: true }) } })).dispatchId,
  );
  seeded.widgetRuns.push((await pushAndPlay(h, 3, { files: { 'a.xml': smokeXml({ allPass: true }) } })).dispatchId);
  seeded.widgetRuns.push((await pushAndPlay(h, 4, { ref: 'refs/heads/release/1.0' })).dispatchId);
  seeded.widgetRuns.push((await pushAndPlay(h, 5, { files: null, queueMs: 5 * 60_000 })).dispatchId);
  seeded.mainWithResults = 3;
  seeded.gadgetRun = (await pushAndPlay(h, 6, { repo: 'gadget', runnerName: 'secret-runner-9', jobs: ['secret job (3.11)'] })).dispatchId;
}

if (!haveChromium) {
  // Visible in the test output: CI installs chromium from .ci/apt-packages, so there it always runs.
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; CI installs it from .ci/apt-packages)`);
}

describe.skipIf(!haveChromium)('dashboard in Chromium', () => {
  beforeAll(async () => {
    h = await startHarness({ repos: dashboardRepos(), logLevel: 'warn' });
    await seed();
    ({ base, browser, close } = await browseHarness(h));
  }, 120_000);

  afterAll(() => close?.() ?? h?.close());

  // Every page a test opens must load without console errors, page errors or failed requests.
  let context: BrowserContext | null = null;
  let problems: string[] = [];
  afterEach(async () => {
    await context?.close();
    context = null;
  });

  /** `cpuSlowdown`: run the page's CPU that many times slower, as on a slow phone or a busy machine. */
  async function open(path: string, viewport = DESKTOP, opts: { expectStatus?: number; cpuSlowdown?: number } = {}): Promise<Page> {
    context ??= await browser.newContext({ viewport, deviceScaleFactor: 1 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await context.newPage();
    if (opts.cpuSlowdown) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: opts.cpuSlowdown });
    problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      if (r.status() >= 400 && r.url() !== `${base}${path}`) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(opts.expectStatus ?? 200);
    await page.evaluate(() => document.fonts.ready);
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  /** Accessibility basics every page must meet; returns what is wrong, as readable strings. */
  async function a11yProblems(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const out: string[] = [];
      if (document.compatMode !== 'CSS1Compat') out.push('quirks mode: no <!DOCTYPE html>');
      if (!document.documentElement.lang) out.push('no lang attribute');
      if (!document.querySelector('meta[name="viewport"]')) out.push('no viewport meta');
      const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((e) => Number(e.tagName[1]));
      if (headings[0] !== 1) out.push(`first heading is h${headings[0]}`);
      if (headings.filter((l) => l === 1).length !== 1) out.push('not exactly one h1');
      headings.forEach((l, i) => {
        if (i > 0 && l > headings[i - 1]! + 1) out.push(`heading jumps from h${headings[i - 1]} to h${l}`);
      });
      for (const img of document.querySelectorAll('img')) {
        if (!img.getAttribute('alt')) out.push(`img without alt: ${img.src}`);
        if (!img.getAttribute('width') || !img.getAttribute('height')) out.push(`img without fixed size: ${img.src}`);
        if (!img.complete || img.naturalWidth === 0) out.push(`img did not load: ${img.src}`);
      }
      for (const svg of document.querySelectorAll('main svg')) {
        if (!svg.getAttribute('width') || !svg.getAttribute('height')) out.push('svg without fixed size');
        if (!svg.getAttribute('aria-label')) out.push('svg without accessible name');
      }
      for (const a of document.querySelectorAll('a')) {
        if (!(a.textContent ?? '').trim()) out.push(`link without text: ${a.href}`);
      }
      for (const b of document.querySelectorAll('button')) {
        if (!(b.textContent ?? '').trim() && !b.getAttribute('aria-label')) out.push('button without accessible name');
      }
      // Text contrast (WCAG AA, 4.5:1) against the nearest opaque background.
      const rgb = (s: string) => (s.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]: number[]) => {
        const f = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      const background = (el: Element | null): number[] => {
        for (let e = el; e; e = e.parentElement) {
          const c = rgb(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3]! > 0.99)) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || !(n.textContent ?? '').trim() || el.closest('svg,script,style')) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width <= 1 || rect.height <= 1) continue; // visually hidden (screen-reader text)
        const fg = rgb(getComputedStyle(el).color);
        const [l1, l2] = [lum(fg), lum(background(el))].sort((a, b) => b - a) as [number, number];
        const ratio = (l1 + 0.05) / (l2 + 0.05);
        if (ratio < 4.5) out.push(`contrast ${ratio.toFixed(2)} for "${(n.textContent ?? '').trim().slice(0, 30)}"`);
      }
      return out;
    });
  }

  /**
   * Cumulative layout shift since navigation: the page must not move as it loads. A live update
   * (the script swapping in a fresh table once data changed, marked `live-swap`) may move it.
   */
  const layoutShift = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let total = 0;
          const observer = new PerformanceObserver((list) => {
            const swapped = performance.getEntriesByName('live-swap')[0]?.startTime ?? Infinity;
            for (const e of list.getEntries() as (PerformanceEntry & { value: number })[]) if (e.startTime < swapped) total += e.value;
          });
          observer.observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => {
            observer.disconnect();
            resolve(total);
          }, 200);
        }),
    );

  /** The page fits the screen: only tables may scroll sideways, inside their own box. */
  const overflowX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  it('home: a table of public repositories with status, smoke rate, sparkline columns and badge; the private one is absent', async () => {
    for (const [name, viewport] of [
      ['home-desktop', DESKTOP],
      ['home-wide', WIDE],
      ['home-phone', PHONE],
    ] as const) {
      await context?.close();
      context = null;
      // On a slow device the browser paints before it has parsed the whole page: the table must
      // still not move (a half-parsed table widens its columns as rows arrive).
      const page = await open('/', viewport, { cpuSlowdown: viewport === DESKTOP ? 20 : 0 });
      const row = page.locator('tr[data-repo="octo-org/widget"]');
      await expect(row.getByRole('link', { name: 'octo-org/widget' }).getAttribute('href')).resolves.toBe('/repos/octo-org/widget');
      await expect(row.locator('.pill').first().textContent()).resolves.toBe('passed');
      const sparks = row.locator('svg.spark');
      // Pass rate, run time, queue time.
      await expect(sparks.count()).resolves.toBe(3);
      await expect(sparks.nth(0).getAttribute('data-points')).resolves.toBe(String(seeded.mainWithResults));
      await expect(sparks.nth(0).locator('polyline').count()).resolves.toBe(1);
      // Four runs on main finished (the release branch's is not on the default branch); every run's jobs waited.
      await expect(sparks.nth(1).getAttribute('data-points')).resolves.toBe('4');
      await expect(sparks.nth(2).getAttribute('data-points')).resolves.toBe(String(seeded.widgetRuns.length));
      // The newest run on main waited 5 minutes for its runner, then ran 95 s: start to finish.
      await expect(row.locator('td[data-col="duration"]').textContent()).resolves.toBe('6m 35s');
      await expect(row.locator('td[data-col="queue"]').textContent()).resolves.toBe('5m 00s');
      await expect(row.getByRole('img', { name: 'arm64 status badge of octo-org/widget' }).isVisible()).resolves.toBe(true);
      expect(await page.content()).not.toContain('gadget');
      expect(await a11yProblems(page)).toEqual([]);
      expect(await layoutShift(page)).toBe(0);
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      if (viewport === WIDE) {
        // The table uses the width: wider than the 1080 px column the other pages keep to.
        const width = await page.locator('table.repos').evaluate((t) => t.getBoundingClientRect().width);
        expect(width).toBeGreaterThan(1100);
      }
      await shot(page, name);
      expect(problems).toEqual([]);
    }
  }, 120_000); // the slowed-down CPU makes it several times longer than the others

  it('repository: runs, a trend chart per branch with one point per run, flaky tests, queue times', async () => {
    for (const [name, viewport] of [
      ['repo-desktop', DESKTOP],
      ['repo-phone', PHONE],
    ] as const) {
      await context?.close();
      context = null;
      const page = await open('/repos/octo-org/widget', viewport);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('octo-org/widget');
      await expect(page.locator('tr[data-run]').count()).resolves.toBe(seeded.widgetRuns.length);
      const newest = page.locator(`tr[data-run="${seeded.widgetRuns[4]}"]`);
      await expect(newest.getByRole('link', { name: `Run of commit ${sha(5).slice(0, 7)}` }).count()).resolves.toBe(1);
      await expect(newest.textContent()).resolves.toContain('push');

      const main = page.locator('figure[data-branch="main"] svg.chart');
      await expect(main.getAttribute('data-points')).resolves.toBe(String(seeded.mainWithResults));
      await expect(main.locator('circle.point').count()).resolves.toBe(seeded.mainWithResults);
      await expect(main.getAttribute('aria-label')).resolves.toMatch(/^Smoke pass rate on main over the last 3 runs: latest 100%/);
      const release = page.locator('figure[data-branch="release/1.0"] svg.chart');
      await expect(release.locator('circle.point').count()).resolves.toBe(1);

      await expect(page.getByRole('heading', { name: 'Flaky tests' }).isVisible()).resolves.toBe(true);
      await expect(page.getByRole('cell', { name: FAILING }).isVisible()).resolves.toBe(true);
      // Ten jobs (five runs × two matrix entries) waited 45 s for a runner but the last two, 5 min.
      await expect(page.getByRole('heading', { name: 'Queue times' }).isVisible()).resolves.toBe(true);
      const queue = page.locator('section.queue tbody tr');
      await expect(queue.locator('td').allTextContents()).resolves.toEqual(['arm64 dgx self-hosted', '10', '45s', '5m 00s', '1m 35s', '1m 35s']);

      expect(await a11yProblems(page)).toEqual([]);
      expect(await layoutShift(page)).toBe(0);
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      await shot(page, name);
      expect(problems).toEqual([]);
    }
  });

  it('repository: the copy button puts the badge Markdown on the clipboard and says "Copied"', async () => {
    const page = await open('/repos/octo-org/widget');
    const snippet = await page.locator('#badge-snippet').textContent();
    expect(snippet).toBe(
      `[![arm64 status](${PUBLIC_URL}/badges/octo-org/widget/status.svg)](${PUBLIC_URL}/repos/octo-org/widget) ` +
        `[![smoke tests](${PUBLIC_URL}/badges/octo-org/widget/smoke.svg)](${PUBLIC_URL}/repos/octo-org/widget)`,
    );
    const button = page.getByRole('button', { name: 'Copy badge Markdown' });
    await button.click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    await shot(page, 'repo-copied');
    expect(problems).toEqual([]);
  });

  it('run: matrix jobs with runner and times, tests failing first, the check-run summary, links to GitHub', async () => {
    for (const [name, viewport] of [
      ['run-desktop', DESKTOP],
      ['run-phone', PHONE],
    ] as const) {
      await context?.close();
      context = null;
      const id = seeded.widgetRuns[0]!;
      const page = await open(`/repos/octo-org/widget/runs/${id}`, viewport);
      await expect(page.locator('h1').textContent()).resolves.toContain(sha(1).slice(0, 7));
      const jobs = page.locator('tr[data-job]');
      await expect(jobs.count()).resolves.toBe(2);
      await expect(jobs.nth(0).textContent()).resolves.toMatch(/test \(3\.10\).*3\.10.*dgx-01.*passed.*45s.*1m 35s/);
      await expect(jobs.nth(1).textContent()).resolves.toContain('3.11');

      const tests = page.locator('tr[data-outcome]');
      await expect(tests.count()).resolves.toBe(6);
      await expect(tests.nth(0).getAttribute('data-outcome')).resolves.toBe('failed');
      await expect(tests.nth(0).textContent()).resolves.toContain(FAILING);

      await expect(page.getByRole('heading', { name: 'Check-run summary' }).isVisible()).resolves.toBe(true);
      await expect(page.getByRole('heading', { name: 'Smoke tests: 5/6 (83%)' }).isVisible()).resolves.toBe(true);
      await expect(page.locator('.smoke-summary table').count()).resolves.toBe(1);
      await expect(page.locator('.smoke-summary').textContent()).resolves.toContain('ipfs_kit_py.api is not available on aarch64');

      const commit = await page.getByRole('link', { name: `${sha(1)} on GitHub` }).getAttribute('href');
      expect(commit).toMatch(new RegExp(`/octo-org/widget/commit/${sha(1)}$`));
      const wf = await page.getByRole('link', { name: /arm64-ci\.yml run on GitHub/ }).getAttribute('href');
      expect(wf).toMatch(/\/octo-org\/widget\/actions\/runs\/\d+$/);
      await expect(page.getByRole('link', { name: 'Back to octo-org/widget' }).getAttribute('href')).resolves.toBe('/repos/octo-org/widget');

      expect(await a11yProblems(page)).toEqual([]);
      expect(await layoutShift(page)).toBe(0);
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      await shot(page, name);
      expect(problems).toEqual([]);
    }
  });

  it('runners: the fleet with labels, online/busy, last job and queue times; no private runner', async () => {
    const page = await open('/runners');
    await expect(page.locator('tr[data-runner]').count()).resolves.toBe(1);
    const row = page.locator('tr[data-runner="dgx-01"]');
    await expect(row.locator('td').allTextContents()).resolves.toEqual([
      'dgx-01',
      'online, idle',
      'self-hosted arm64 dgx',
      expect.stringMatching(/^test \(3\.1[01]\) in octo-org\/widget octo-org\/widget passed \d+ min ago$/),
      'repository',
    ]);
    await expect(row.getByRole('link').getAttribute('href')).resolves.toBe(`/repos/octo-org/widget/runs/${seeded.widgetRuns[4]}`);
    await expect(page.getByRole('heading', { name: 'Queue times' }).isVisible()).resolves.toBe(true);
    const queue = page.locator('section.queue tbody tr');
    await expect(queue.locator('td').allTextContents()).resolves.toEqual(['arm64 dgx self-hosted', '10', '45s', '5m 00s', '1m 35s', '1m 35s']);
    expect(await page.content()).not.toContain('secret-runner-9');
    expect(await page.content()).not.toContain('gadget');
    expect(await a11yProblems(page)).toEqual([]);
    await shot(page, 'runners-desktop');
    expect(problems).toEqual([]);
  });

  it('privacy: a private repository is a 404 without its token, exactly like an unknown one, and readable with it', async () => {
    const hidden = await open('/repos/octo-org/gadget', DESKTOP, { expectStatus: 404 });
    const hiddenText = await hidden.locator('main').textContent();
    await shot(hidden, 'private-404');
    const unknown = await open('/repos/octo-org/no-such-repo', DESKTOP, { expectStatus: 404 });
    expect(await unknown.locator('main').textContent()).toBe(hiddenText);
    await open(`/repos/octo-org/gadget/runs/${seeded.gadgetRun}`, DESKTOP, { expectStatus: 404 });

    const token = badgeToken('badge-secret', 'octo-org/gadget');
    const page = await open(`/repos/octo-org/gadget?token=${token}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('octo-org/gadget');
    // Links keep the token, so the maintainer can follow them.
    await page.getByRole('link', { name: `Run of commit ${sha(6).slice(0, 7)}` }).click();
    await page.waitForURL(`**/runs/${seeded.gadgetRun}?token=${token}`);
    await expect(page.locator('tr[data-job]').textContent()).resolves.toContain('secret-runner-9');
    await shot(page, 'private-with-token');
    expect(problems).toEqual([]);
  });

  // The tests below add runs (to gizmo): they come last, after the tests that count runs and jobs.

  it('filters: the form changes the URL and the rows, the URL alone shows the same rows, a bad value says why', async () => {
    const page = await open('/repos/octo-org/widget');
    const rows = () => page.locator('tr[data-run]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run')));
    const jsonRuns = async (query: string) => {
      const r = await fetch(`${base}/api/repos/octo-org/widget/runs?${query}`);
      return ((await r.json()) as { runs: { dispatchId: string }[] }).runs.map((x) => x.dispatchId);
    };
    await expect(rows()).resolves.toHaveLength(seeded.widgetRuns.length);

    await page.getByLabel('Branch', { exact: true }).fill('release/1.0');
    await Promise.all([page.waitForURL(`${base}/repos/octo-org/widget?branch=release%2F1.0`), page.getByRole('button', { name: 'Filter' }).click()]);
    await expect(rows()).resolves.toEqual([seeded.widgetRuns[3]]);
    await shot(page, 'repo-filtered');

    // Blank fields stay out of the URL; a status and a branch together.
    await page.getByLabel('Branch', { exact: true }).fill('main');
    await page.getByLabel('Status', { exact: true }).selectOption('success');
    await Promise.all([page.waitForURL(`${base}/repos/octo-org/widget?branch=main&status=success`), page.getByRole('button', { name: 'Filter' }).click()]);
    const passedOnMain = await jsonRuns('branch=main&status=success');
    expect(passedOnMain.length).toBeGreaterThan(0);
    expect(passedOnMain).not.toContain(seeded.widgetRuns[3]);
    await expect(rows()).resolves.toEqual(passedOnMain);
    await expect(page.locator('tr[data-run] .pill').allTextContents()).resolves.toEqual(passedOnMain.map(() => 'passed'));

    // Shared: the same URL in a fresh tab shows the same rows and the form says what is applied.
    const shared = await context!.newPage();
    await shared.goto(`${base}/repos/octo-org/widget?branch=main&status=success`);
    await expect(shared.locator('tr[data-run]').count()).resolves.toBe(passedOnMain.length);
    await expect(shared.getByLabel('Branch', { exact: true }).inputValue()).resolves.toBe('main');
    await expect(shared.getByLabel('Status', { exact: true }).inputValue()).resolves.toBe('success');
    await shared.close();

    // An author nobody is: no rows, and a sentence saying so.
    await page.goto(`${base}/repos/octo-org/widget?author=nobody-here`);
    await expect(rows()).resolves.toEqual([]);
    await expect(page.getByText('No runs match these filters.').isVisible()).resolves.toBe(true);

    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.waitForURL(`${base}/repos/octo-org/widget`);
    await expect(rows()).resolves.toHaveLength(seeded.widgetRuns.length);
    expect(problems).toEqual([]);

    const bad = await open('/repos/octo-org/widget?status=passed', DESKTOP, { expectStatus: 400 });
    await expect(bad.locator('main').textContent()).resolves.toContain('invalid status: use one of queued, in_progress');
  });

  it('charts: hovering or focusing a point shows its date and value', async () => {
    const page = await open('/repos/octo-org/widget');
    const tip = page.getByRole('tooltip');
    // The oldest run on main: 5 of 6 passed.
    await page.locator('figure[data-branch="main"] circle.point').first().hover();
    await tip.waitFor();
    await expect(tip.textContent()).resolves.toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC · 5\/6 passed \(83%\) · [0-9a-f]{7}$/);
    await shot(page, 'chart-tooltip');
    // The newest run on main waited 5 minutes and took 6m 35s from start to finish.
    await page.locator('svg[data-chart="duration"] circle.point').last().hover();
    await expect(tip.textContent()).resolves.toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC · ran 6m 35s · [0-9a-f]{7}$/);
    await page.locator('svg[data-chart="queue"] circle.point').last().focus();
    await expect(tip.textContent()).resolves.toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC · waited 5m 00s · [0-9a-f]{7}$/);
    await expect(tip.isVisible()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await expect(tip.isVisible()).resolves.toBe(false);
    expect(problems).toEqual([]);
  });

  it('run page: follows a run from queued to running to passed without a reload', async () => {
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'gizmo'), { ref: 'refs/heads/main', after: sha(20) }));
    await h.settle();
    const dispatch = h.gh.dispatches.find((x) => x.inputs.sha === sha(20) && x.repo === 'octo-org/gizmo')!;
    const check = h.gh.checkRuns('octo-org', 'gizmo').find((c) => c.headSha === sha(20))!;
    const page = await open(`/repos/octo-org/gizmo/runs/${check.externalId}`);
    let navigations = 0;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    // Survives only if the page is never reloaded.
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    const status = page.locator('h1 .pill');
    await expect(status.textContent()).resolves.toBe('queued');
    await expect(page.locator('tr[data-job]').count()).resolves.toBe(0);

    await h.gh.startRun(dispatch.runId);
    const job = await h.gh.queueJob(dispatch.runId, { name: 'test (3.12)', labels: ['self-hosted', 'arm64', 'dgx'] });
    h.clock.advance(20_000);
    await h.gh.startJob(job.id, { runnerName: 'dgx-02' });
    await h.settle();
    await page.locator('h1 .pill', { hasText: 'running' }).waitFor();
    const row = page.locator(`tr[data-job="${job.id}"]`);
    await row.locator('.pill', { hasText: 'running' }).waitFor();
    await expect(row.textContent()).resolves.toContain('dgx-02');
    await expect(page.getByRole('link', { name: 'Cancel on GitHub' }).isVisible()).resolves.toBe(true);
    await shot(page, 'run-live-running');

    h.clock.advance(70_000);
    await h.gh.completeJob(job.id, 'success');
    h.gh.addArtifact(dispatch.runId, { name: 'smoke-test-results', files: { 'a.xml': smokeXml({ allPass: true }) } });
    await h.gh.completeRun(dispatch.runId, 'success');
    await h.settle();
    await page.locator('h1 .pill', { hasText: 'passed' }).waitFor();
    await page.getByRole('heading', { name: 'Smoke tests: 6/6 (100%)' }).waitFor();
    await expect(row.locator('.pill').textContent()).resolves.toBe('passed');
    await expect(page.getByRole('link', { name: 'Re-run on GitHub' }).getAttribute('href')).resolves.toMatch(/\/octo-org\/gizmo\/actions\/runs\/\d+$/);
    await expect(page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).resolves.toBe(true);
    expect(navigations).toBe(0);
    expect(await a11yProblems(page)).toEqual([]);
    await shot(page, 'run-live-passed');
    expect(problems).toEqual([]);
  });

  it('repository page: a new run appears in the list without a reload, the filter form untouched', async () => {
    const page = await open('/repos/octo-org/gizmo');
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    const before = await page.locator('tr[data-run]').count();
    // Something typed in the form survives the redraw.
    await page.getByLabel('Author', { exact: true }).fill('someone');
    await h.send(h.gh.events.pushEvent(h.gh.repo('octo-org', 'gizmo'), { ref: 'refs/heads/main', after: sha(21) }));
    await h.settle();
    await page.locator(`tr[data-run] >> text=${sha(21).slice(0, 7)}`).waitFor();
    await expect(page.locator('tr[data-run]').count()).resolves.toBe(before + 1);
    await expect(page.getByLabel('Author', { exact: true }).inputValue()).resolves.toBe('someone');
    await expect(page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).resolves.toBe(true);
    expect(problems).toEqual([]);
  });

  it('live polling: the JSON answers 304 with its ETag while nothing changes', async () => {
    const url = `${base}/api/repos/octo-org/widget/runs/${seeded.widgetRuns[0]}`;
    const first = await fetch(url);
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^"[0-9a-f]+"$/);
    const again = await fetch(url, { headers: { 'If-None-Match': tag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });
});

if (!haveChromium) {
  describe('dashboard in Chromium', () => {
    it.skip(`skipped: ${CHROMIUM} is missing (CI installs it from .ci/apt-packages)`, () => {});
  });
}
