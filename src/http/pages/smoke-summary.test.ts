import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJUnit } from '../../core/junit';
import { unreadArtifact } from '../../core/smoke/artifact';
import { renderSmokeMarkdown } from '../../core/smoke/markdown';
import { smokeReport } from '../../core/smoke/report';
import { combine, type SmokeSet } from '../../core/smoke/verdict';
import { SmokeSummary } from './smoke-summary';

const pytest = readFileSync(new URL('../../../test/fixtures/junit/pytest.xml', import.meta.url), 'utf8');
const allPassing = pytest.replace(/<failure[\s\S]*?<\/failure>/, '');

type Extras = Parameters<typeof smokeReport>[1];
const html = async (smoke: SmokeSet | null, extras: Extras = {}) => String(await SmokeSummary({ report: smokeReport(smoke, extras) }).toString());

/** What a reader sees of the HTML: text without tags, entities decoded. */
const text = (h: string) =>
  h
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The Markdown summary's lines as a reader sees them on GitHub: syntax and escapes removed; a table row as its cells. */
function markdownLines(md: string): string[] {
  const plain = (s: string) => s.replace(/\*\*/g, '').replace(/\\(.)/g, '$1');
  return md
    .split('\n')
    .filter((l) => !/^\s*(>\s*)?$/.test(l) && !/^\|[-:|]+\|$/.test(l))
    .map((l) =>
      l.startsWith('|')
        ? l
            .slice(1, -1)
            .split(/(?<!\\)\|/)
            .map((c) => plain(c.trim()))
            .join('')
        : plain(l.replace(/^(#+ |- |> )/, '')),
    );
}

const base = combine([parseJUnit('results-py3.10.xml', pytest)]);
const cases: [string, SmokeSet | null, Extras][] = [
  ['no artifact', null, {}],
  ['an expired artifact', null, { notes: ['The artifact "smoke-test-results" of this run has expired, so its results could not be read.'] }],
  ['an artifact over the size limit', unreadArtifact('The artifact "smoke" is 120 MiB, over the 100 MiB limit; it was not downloaded.'), {}],
  ['an artifact with no JUnit files', combine([]), {}],
  ['an artifact whose only file is broken', combine([parseJUnit('results.xml', '<testsuite>')]), {}],
  [
    'two matrix files, one failing, one unreadable file',
    combine([
      parseJUnit('results-py3.10.xml', pytest),
      parseJUnit('results-py3.11.xml', allPassing),
      parseJUnit('results-py3.12.xml', '<!DOCTYPE lolz [<!ENTITY lol "lol">]><testsuite/>'),
    ]),
    { notes: ['History is kept for the first 1,000 tests (failing ones first).'] },
  ],
  [
    'a base comparison and a flaky test',
    base,
    {
      baseDiff: { newlyFailing: base.files[0]!.tests.filter((t) => t.outcome === 'failed'), newlyPassing: base.files[0]!.tests.slice(0, 1) },
      baseLabel: 'main at abc1234',
      flaky: [{ testId: 'x', name: 'test_package_import', passed: 1, failed: 2 }],
    },
  ],
  ['a base comparison where nothing changed', base, { baseDiff: { newlyFailing: [], newlyPassing: [] } }],
  [
    'more failures than are listed, and a re-run',
    combine([
      parseJUnit(
        'r.xml',
        `<testsuite>${Array.from({ length: 30 }, (_, i) => `<testcase name="t${i}"><error message="boom ${i}"/></testcase>`).join('')}<testcase name="again"><flakyFailure/></testcase></testsuite>`,
      ),
    ]),
    {},
  ],
];

describe('the run page’s smoke section', () => {
  it.each(cases)('says what the check-run summary says, line by line: %s', async (_, smoke, extras) => {
    const page = text(await html(smoke, extras));
    const lines = markdownLines(renderSmokeMarkdown(smoke, extras));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(page).toContain(line);
  });

  it('shows the per-file counts as a table and failing tests with their messages', async () => {
    const out = await html(combine([parseJUnit('results-py3.10.xml', pytest), parseJUnit('results-py3.11.xml', allPassing)]));
    expect(out).toContain('<h3>Smoke tests: 11/12 (91%)</h3>');
    expect(out.match(/<table>/g)).toHaveLength(1);
    expect(out).toContain('<td>results-py3.10.xml</td><td class="num">5</td><td class="num">1</td>');
    expect(out).toContain('<h4>Failing tests (1)</h4>');
    expect(text(out)).toContain("❌ tests.test_arm64_basic › test_basic_api_availability: AssertionError: ipfs_kit_py has no attribute 'IPFSSimpleAPI' (results-py3.10.xml)");
  });

  it('shows HTML in file names, test names, messages and notes as text, never as markup', async () => {
    const evil = '&lt;img src=x onerror=alert(1)&gt;';
    const out = await html(
      combine([
        parseJUnit('<b>a</b>.xml', `<testsuite><testcase name="${evil}"><failure message="&lt;script&gt;alert(1)&lt;/script&gt;"/></testcase></testsuite>`),
        parseJUnit('<i>x</i>.xml', '<testsuite>'),
      ]),
      { notes: ['<a href="javascript:alert(1)">note</a>'] },
    );
    expect(out).not.toMatch(/<(img|script|b|i)[\s>]/);
    expect(out).not.toContain('<a ');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;b&gt;a&lt;/b&gt;.xml');
    expect(out).toContain('&lt;i&gt;x&lt;/i&gt;.xml was not read');
  });

  it('says how many more unreadable files there were than it lists', async () => {
    const files = Array.from({ length: 30 }, (_, i) => parseJUnit(`f${i}.xml`, '<testsuite>'));
    const page = text(await html(combine(files)));
    expect(page).toContain('⚠️ f24.xml was not read');
    expect(page).not.toContain('f25.xml');
    expect(page).toContain('⚠️ … and 5 more files not read.');
  });
});
