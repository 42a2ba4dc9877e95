/**
 * What the dashboard says about held and approved runs: the reason once, code as code (never
 * literal backticks), and the approved run's id as a link to its page.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SeedPull } from '@arm64-ci/github-sim';
import { seedRepo, startHarness, type Harness } from './support/harness';

const sha = (n: number) => n.toString(16).padStart(40, 'd');
const FORK: SeedPull = { number: 13, headSha: sha(30), headRef: 'patch-1', headRepo: 'stranger/widget', user: 'stranger', authorAssociation: 'NONE' };

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ repos: [seedRepo({ pulls: [{ ...FORK }] })] });
});
afterEach(async () => {
  expect(h.gh.violations).toEqual([]);
  await h.close();
});

const repo = () => h.gh.repo('octo-org', 'widget');
const checks = () => h.gh.checkRuns('octo-org', 'widget').filter((c) => c.headSha === sha(30));
const page = async (path: string) => {
  const r = await h.app.request(path);
  return { status: r.status, text: await r.text() };
};
/** The page's main text with tags removed, as a reader sees it. */
const visible = (html: string) =>
  html
    .slice(html.indexOf('<main'), html.indexOf('</main>'))
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('held and approved runs on the dashboard', { timeout: 60_000 }, () => {
  it('a held run says it waits for /ok-to-test once, with code shown as code', async () => {
    await h.send(h.gh.events.pullRequestEvent(repo(), 'opened', 13));
    const held = checks()[0]!;
    // What the README's trust section says of it.
    expect(held).toMatchObject({ status: 'completed', conclusion: 'action_required' });
    expect(held.output.title).toBe('arm64: action required');
    expect(held.output.summary).toContain('Waiting for /ok-to-test:');

    const { status, text } = await page(`/repos/octo-org/widget/runs/${held.externalId}`);
    expect(status).toBe(200);
    const words = visible(text);
    expect(words.match(/(waiting for|awaiting) \/ok-to-test/gi)).toEqual(['awaiting /ok-to-test']);
    expect(words).not.toContain('`');
    expect(text).toContain('<code>/ok-to-test &lt;sha&gt;</code>');
    expect(words).toContain('Nothing ran: the commit waits for /ok-to-test.');
    // A held run has no re-run or cancel: only /ok-to-test releases it.
    expect(text).not.toContain('data-github-actions');
    // The repository's list of runs names it once too.
    const list = (await page('/repos/octo-org/widget')).text;
    const runs = list.slice(list.indexOf('id="runs-live"'), list.indexOf('id="charts-live"')).replace(/<[^>]+>/g, '');
    expect(runs.match(/(waiting for|awaiting) \/ok-to-test/gi)).toEqual(['awaiting /ok-to-test']);
  });

  it("an approved run's page links the run that replaced it", async () => {
    await h.send(h.gh.events.pullRequestEvent(repo(), 'opened', 13));
    h.clock.advance(60_000);
    await h.send(h.gh.events.issueCommentEvent(repo(), { pr: 13, body: '/ok-to-test', user: 'maintainer' }));
    const [before, approved] = checks();
    expect(before).toMatchObject({ conclusion: 'neutral' });
    const { text } = await page(`/repos/octo-org/widget/runs/${before!.externalId}`);
    expect(text).toContain(`<a href="/repos/octo-org/widget/runs/${approved!.externalId}">${approved!.externalId}</a>`);
    // Not a bare "neutral": the pill says what happened.
    expect(text).toContain('<span class="pill neutral">approved, run anew</span>');
    // The reason it was held is still told in full.
    expect(visible(text)).toContain('Waiting for /ok-to-test:');
  });
});
