import { describe, expect, it } from 'vitest';
import { Markdown, safeHref } from './markdown';

const html = async (source: string) => String(await Markdown({ source }).toString());

describe('Markdown (safe subset)', () => {
  it('renders the smoke section: heading, table with numeric columns, bold total, list', async () => {
    const out = await html(
      [
        '### Smoke tests: 5/6 (83%)',
        '',
        '| File | Passed | Failed |',
        '|---|---:|---:|',
        '| results/smoke\\_core.xml | 3 | 0 |',
        '',
        '**Total: 5/6 (83%)**: 5 passed, 1 failed.',
        '',
        '#### Failing tests (1)',
        '',
        '- ❌ **test\\_basic**: AssertionError',
      ].join('\n'),
    );
    expect(out).toContain('<h3>Smoke tests: 5/6 (83%)</h3>');
    expect(out).toContain('<th>File</th><th class="num">Passed</th>');
    expect(out).toContain('<td>results/smoke_core.xml</td><td class="num">3</td>');
    expect(out).toContain('<p><strong>Total: 5/6 (83%)</strong>: 5 passed, 1 failed.</p>');
    expect(out).toContain('<h4>Failing tests (1)</h4>');
    expect(out).toContain('<ul><li>❌ <strong>test_basic</strong>: AssertionError</li></ul>');
  });

  it('shows HTML in test names and messages as text, never as markup', async () => {
    const out = await html('- ❌ **<img src=x onerror=alert(1)>**: <script>alert(1)</script>\n\n<b>bold?</b>');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<b>');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps http(s) links and drops any other scheme to plain text', async () => {
    const out = await html('[run](https://github.com/o/r/actions/runs/1) [x](javascript:alert(1)) [y](data:text/html,hi)');
    expect(out).toContain('<a href="https://github.com/o/r/actions/runs/1">run</a>');
    expect(out).not.toContain('javascript:');
    expect(out).not.toContain('data:');
    expect(out).not.toContain('<a href="javascript');
    expect(safeHref('HTTPS://example.com/x')).toBe('HTTPS://example.com/x');
    expect(safeHref('//evil.example/x')).toBeNull();
    expect(safeHref('https://a b')).toBeNull();
  });

  it('escapes attribute-breaking characters inside an allowed link', async () => {
    const out = await html('[x](https://e.example/"onmouseover="alert(1))');
    expect(out).not.toContain('" onmouseover');
    expect(out).not.toMatch(/href="[^"]*"onmouseover/);
  });

  it('renders code spans literally, including escaped pipes in table cells', async () => {
    const out = await html('| Runner |\n|---|\n| `dgx\\|01` · `` a`b `` |\n\nplain `<i>x</i>` and `**no bold**`');
    expect(out).toContain('<code>dgx|01</code>');
    expect(out).toContain('<code>a`b</code>');
    expect(out).toContain('<code>&lt;i&gt;x&lt;/i&gt;</code>');
    expect(out).toContain('<code>**no bold**</code>');
  });

  it('renders block quotes, italics and keeps headings at or below the page level', async () => {
    const out = await html('# Top\n\n> ⚠️ lolz.xml was not read: entity declarations\n>\n> second\n\n_… summary trimmed_');
    expect(out).toContain('<h3>Top</h3>');
    expect(out).toContain('<blockquote><p>⚠️ lolz.xml was not read: entity declarations</p><p>second</p></blockquote>');
    expect(out).toContain('<em>… summary trimmed</em>');
  });

  it('does not treat underscores inside words as emphasis', async () => {
    expect(await html('test_basic_api and snake_case')).toBe('<div class="markdown"><p>test_basic_api and snake_case</p></div>');
  });

  it('renders fenced code verbatim', async () => {
    const out = await html('```\n<b>x</b>\n| not | a table |\n```\nafter');
    expect(out).toContain('<pre><code>&lt;b&gt;x&lt;/b&gt;\n| not | a table |</code></pre>');
    expect(out).toContain('<p>after</p>');
  });
});
