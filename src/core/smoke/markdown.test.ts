import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJUnit } from '../junit';
import { renderSmokeMarkdown } from './markdown';
import { combine } from './verdict';

const pytest = readFileSync(new URL('../../../test/fixtures/junit/pytest.xml', import.meta.url), 'utf8');
const allPassing = pytest.replace(/<failure[\s\S]*?<\/failure>/, '');

describe('renderSmokeMarkdown', () => {
  it('says when there is no artifact', () => {
    expect(renderSmokeMarkdown(null, {})).toContain('No smoke-test artifact');
  });

  it('shows notes about the artifact as escaped warnings', () => {
    const text = renderSmokeMarkdown(null, { notes: ['The artifact `smoke` has expired <b>'] });
    expect(text).toContain('No smoke-test results could be read for this run: the conclusion follows the workflow.');
    expect(text).toContain('> ⚠️ The artifact \\`smoke\\` has expired \\<b\\>');
  });

  it('shows a row per file, the total, failing tests and unreadable files', () => {
    const smoke = combine([
      parseJUnit('results-py3.10.xml', pytest),
      parseJUnit('results-py3.11.xml', allPassing),
      parseJUnit('results-py3.12.xml', '<!DOCTYPE lolz [<!ENTITY lol "lol">]><testsuite/>'),
    ]);
    const text = renderSmokeMarkdown(smoke, {});
    expect(text).toContain('### Smoke tests: 11/12 (91%)');
    expect(text).toContain('| results-py3.10.xml | 5 | 1 | 0 | 0 | 5/6 (83%) |');
    expect(text).toContain('| results-py3.11.xml | 6 | 0 | 0 | 0 | 6/6 (100%) |');
    expect(text).toContain('**Total: 11/12 (91%)**: 11 passed, 1 failed, 0 errored, 0 skipped across 2 files.');
    expect(text).toContain('#### Failing tests (1)');
    expect(text).toContain("❌ **tests.test\\_arm64\\_basic › test\\_basic\\_api\\_availability**: AssertionError: ipfs\\_kit\\_py has no attribute 'IPFSSimpleAPI' (results-py3.10.xml)");
    expect(text).toContain('results-py3.12.xml was not read: entity declarations are not allowed');
  });

  it('says no data when no file could be read, listing why', () => {
    const text = renderSmokeMarkdown(combine([parseJUnit('results.xml', '<testsuite>')]), {});
    expect(text).toContain('no data');
    expect(text).toContain('results.xml was not read: not well-formed XML');
  });

  it('caps the failing list and shows base differences and flaky tests', () => {
    const many = Array.from({ length: 40 }, (_, i) => `<testcase name="t${i}"><failure message="boom ${i}"/></testcase>`).join('');
    const smoke = combine([parseJUnit('r.xml', `<testsuite name="s">${many}<testcase name="ok"/></testsuite>`)]);
    const first = smoke.files[0]?.tests[0];
    const ok = smoke.files[0]?.tests[40];
    if (!first || !ok) throw new Error('fixture');
    const text = renderSmokeMarkdown(smoke, {
      baseDiff: { newlyFailing: [first], newlyPassing: [ok] },
      flaky: [{ testId: 'x', name: 'test_package_import', passed: 1, failed: 2 }],
      maxListed: 10,
    });
    expect(text).toContain('#### Failing tests (40)');
    expect(text.match(/^- ❌ \*\*t\d+\*\*: boom \d+ \(r\.xml\)$/gm)).toHaveLength(10);
    expect(text).toContain('- … and 30 more (see the annotations)');
    expect(text).toContain('#### Newly failing compared with the base (1)\n\n- ❌ **t0**: boom 0');
    expect(text).toContain('#### Newly passing compared with the base (1)\n\n- ✅ **ok**');
    expect(text).toContain('- **test\\_package\\_import**: passed 1×, failed 2×');
  });

  it('keeps hostile test names from breaking the table or injecting HTML', () => {
    const smoke = combine([
      parseJUnit('a|b.xml', '<testsuite><testcase name="x | &lt;img src=x onerror=alert(1)&gt;&#10;# heading"><failure/></testcase></testsuite>'),
    ]);
    const text = renderSmokeMarkdown(smoke, {});
    expect(text).toContain('| a\\|b.xml |');
    expect(text).toContain('**x \\| \\<img src=x onerror=alert(1)\\> \\# heading**');
    expect(text).not.toMatch(/(?<!\\)<img/);
  });

  it('trims to the size limit with a note', () => {
    const many = Array.from({ length: 300 }, (_, i) => `<testcase name="t${i}"><failure message="${'m'.repeat(150)}"/></testcase>`).join('');
    const smoke = combine([parseJUnit('r.xml', `<testsuite>${many}</testsuite>`)]);
    const text = renderSmokeMarkdown(smoke, { maxListed: 300, maxChars: 5000 });
    expect(text.length).toBeLessThanOrEqual(5000);
    expect(text).toMatch(/summary trimmed to fit GitHub’s size limit/);
  });
});
