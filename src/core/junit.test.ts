import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JUNIT_LIMITS, parseJUnit } from './junit';
import { passRate, sumCounts, type JUnitFile, type ParseResult } from './test-results';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../test/fixtures/junit/${name}`, import.meta.url), 'utf8');

function parsed(r: ParseResult): JUnitFile {
  if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
  return r.file;
}

function refused(r: ParseResult): string {
  if (r.ok) throw new Error('expected the file to be refused');
  return r.error;
}

describe('parseJUnit: dialects', () => {
  it('reads the seed pytest results as 5 of 6 passed, naming the failing test', () => {
    const f = parsed(parseJUnit('results-py3.10.xml', fixture('pytest.xml')));
    expect(f.fileName).toBe('results-py3.10.xml');
    expect(f.counts).toEqual({ passed: 5, failed: 1, errored: 0, skipped: 0, total: 6 });
    expect(passRate(f.counts)).toBeCloseTo(5 / 6, 10);
    expect(f.tests.map((t) => t.name)).toEqual([
      'test_python_version',
      'test_architecture_detection',
      'test_package_import',
      'test_package_version',
      'test_core_modules_importable',
      'test_basic_api_availability',
    ]);
    const failing = f.tests.filter((t) => t.outcome === 'failed');
    expect(failing).toHaveLength(1);
    const [t] = failing;
    expect(t).toMatchObject({
      name: 'test_basic_api_availability',
      classname: 'tests.test_arm64_basic',
      suite: 'pytest',
      file: 'tests/test_arm64_basic.py',
      line: 55,
      durationSeconds: 0.096,
    });
    // Character references in attributes and text come back as the characters they stand for.
    expect(t?.message).toContain("hasattr(<module 'ipfs_kit_py'>, 'IPFSSimpleAPI')");
    expect(t?.message?.split('\n')[0]).toBe("AssertionError: ipfs_kit_py has no attribute 'IPFSSimpleAPI'");
    expect(t?.details).toContain('>       assert hasattr(ipfs_kit_py, "IPFSSimpleAPI")');
    expect(t?.details).toContain('tests/test_arm64_basic.py:58: AssertionError');
    // system-out is not failure text
    expect(t?.details).not.toContain('on aarch64');
  });

  it('reads jest-junit: file from the suite, line from the stack trace, & decoded', () => {
    const f = parsed(parseJUnit('jest.xml', fixture('jest-junit.xml')));
    expect(f.counts).toEqual({ passed: 3, failed: 1, errored: 0, skipped: 1, total: 5 });
    const failing = f.tests.find((t) => t.outcome === 'failed');
    expect(failing).toMatchObject({
      name: 'Calculator divides by zero',
      suite: 'Calculator',
      file: 'src/calculator.test.js',
      line: 17,
      message: 'Error: expect(received).toThrow()',
    });
    expect(f.tests.find((t) => t.outcome === 'skipped')?.name).toBe('Calculator uses SIMD on arm64');
    expect(f.tests.map((t) => t.name)).toContain('formatNumber groups thousands & millions');
    expect(f.tests.filter((t) => t.file === 'src/format.test.js')).toHaveLength(2);
  });

  it('reads go-junit-report: package as classname, no file, useful messages', () => {
    const f = parsed(parseJUnit('go.xml', fixture('go-junit-report.xml')));
    expect(f.counts).toEqual({ passed: 3, failed: 1, errored: 1, skipped: 1, total: 6 });
    const sub = f.tests.find((t) => t.name === 'TestSub');
    expect(sub).toMatchObject({ outcome: 'failed', classname: 'example.com/arm64/mathx', file: null, line: null });
    // go-junit-report's fixed message "Failed" is replaced by the first line of the output.
    expect(sub?.message).toBe('sub_test.go:12: Sub(3, 1) = 1, want 2');
    const build = f.tests.find((t) => t.outcome === 'errored');
    expect(build).toMatchObject({ name: '[build failed]', suite: 'example.com/arm64/cmd/tool' });
    expect(build?.message).toBe('cmd/tool/main.go:14:2: undefined: simd.Dot');
    expect(f.tests.find((t) => t.name === 'TestNEON')?.outcome).toBe('skipped');
  });

  it('reads Maven Surefire: errors, skips, and a flaky re-run counted as passed', () => {
    const f = parsed(parseJUnit('TEST-com.example.FooTest.xml', fixture('surefire.xml')));
    expect(f.counts).toEqual({ passed: 2, failed: 1, errored: 1, skipped: 1, total: 5 });
    expect(f.flakyReruns).toBe(1);
    expect(f.tests.find((t) => t.name === 'talksToRegistry')).toMatchObject({ outcome: 'passed', durationSeconds: 1203.9 });
    expect(f.tests.find((t) => t.name === 'subtracts')).toMatchObject({
      outcome: 'failed',
      classname: 'com.example.FooTest',
      file: null,
      message: 'expected: <2> but was: <1>',
    });
    expect(f.tests.find((t) => t.name === 'subtracts')?.details).toContain('FooTest.java:27');
    expect(f.tests.find((t) => t.name === 'readsConfig')).toMatchObject({
      outcome: 'errored',
      message: 'config.yml (No such file or directory)',
    });
    expect(f.tests.find((t) => t.name === 'usesGpu')).toMatchObject({
      outcome: 'skipped',
      message: 'GPU not available on this runner',
    });
  });

  it("reads vitest's own JUnit output: classname is the file, line from the stack", () => {
    const f = parsed(parseJUnit('vitest.xml', fixture('vitest.xml')));
    expect(f.counts).toEqual({ passed: 1, failed: 1, errored: 0, skipped: 1, total: 3 });
    const file = 'test/fixtures/junit/sample/arithmetic.sample.ts';
    expect(f.tests.every((t) => t.file === file)).toBe(true);
    const failing = f.tests.find((t) => t.outcome === 'failed');
    expect(failing?.name).toBe('arithmetic on arm64 > compares floats exactly (fails on purpose)');
    expect(failing?.message).toBe('expected 0.30000000000000004 to be 0.3 // Object.is equality');
    expect(failing?.line).toBe(13);
  });

  it('keeps nested suites as a path and takes tests from every suite of a file', () => {
    const xml = `<?xml version="1.0"?>
<testsuite name="all">
  <testsuite name="com.example.ATest">
    <properties><property name="os.arch" value="aarch64"/></properties>
    <testcase classname="com.example.ATest" name="one"/>
  </testsuite>
  <testsuite name="com.example.BTest">
    <testcase classname="com.example.BTest" name="two"><skipped message="later"/></testcase>
    <testsuite name="inner"><testcase name="three"><error>boom</error></testcase></testsuite>
  </testsuite>
</testsuite>`;
    const f = parsed(parseJUnit('nested.xml', xml));
    expect(f.tests.map((t) => [t.suite, t.name, t.outcome])).toEqual([
      ['all / com.example.ATest', 'one', 'passed'],
      ['all / com.example.BTest', 'two', 'skipped'],
      ['all / com.example.BTest / inner', 'three', 'errored'],
    ]);
    expect(f.tests[2]?.message).toBe('boom');
  });

  it('gives each test an id that is the same on every run and unique within a file', () => {
    const run1 = parsed(parseJUnit('results-py3.10.xml', fixture('pytest.xml')));
    // Another run on another matrix entry: timestamps, hostname and durations differ.
    const run2 = parsed(
      parseJUnit(
        'results-py3.11.xml',
        fixture('pytest.xml')
          .replace(/timestamp="[^"]*"/, 'timestamp="2025-07-01T00:00:00"')
          .replace(/hostname="[^"]*"/, 'hostname="other"')
          .replaceAll('time="0.001"', 'time="0.5"'),
      ),
    );
    expect(run2.tests.map((t) => t.id)).toEqual(run1.tests.map((t) => t.id));
    expect(new Set(run1.tests.map((t) => t.id)).size).toBe(6);

    const twice = parsed(
      parseJUnit('dup.xml', '<testsuite name="s"><testcase name="a"/><testcase name="a"><failure/></testcase></testsuite>'),
    );
    expect(new Set(twice.tests.map((t) => t.id)).size).toBe(2);
  });

  it('accepts bytes: UTF-8 with a byte-order mark and UTF-16', () => {
    const xml = '<testsuite name="ü"><testcase name="grüße"/></testsuite>';
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(xml)]);
    expect(parsed(parseJUnit('a.xml', utf8)).tests[0]?.name).toBe('grüße');
    const utf16 = new Uint8Array(2 + xml.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < xml.length; i++) utf16[2 + i * 2] = xml.charCodeAt(i);
    expect(parsed(parseJUnit('b.xml', utf16)).tests[0]?.name).toBe('grüße');
    expect(refused(parseJUnit('c.xml', new Uint8Array([0x3c, 0x61, 0xff, 0xfe, 0x3e])))).toMatch(/not valid UTF-8/);
  });

  it('trims long failure text to about 4 KB', () => {
    const long = 'x'.repeat(20_000);
    const f = parsed(parseJUnit('long.xml', `<testsuite><testcase name="t"><failure>${long}</failure></testcase></testsuite>`));
    const details = f.tests[0]?.details ?? '';
    expect(details.length).toBeLessThan(4200);
    expect(details).toMatch(/more characters\)$/);
  });

  it('reads a file that ran nothing as zero tests', () => {
    const f = parsed(parseJUnit('empty-suite.xml', '<testsuites><testsuite name="none" tests="0"/></testsuites>'));
    expect(f.counts.total).toBe(0);
    expect(passRate(f.counts)).toBeNull();
  });
});

describe('parseJUnit: bad and hostile input', () => {
  it('refuses malformed XML with the line and column', () => {
    const error = refused(parseJUnit('bad.xml', '<testsuite>\n  <testcase name="a">\n</testsuite>'));
    expect(error).toMatch(/^not well-formed XML: /);
    expect(error).toContain("Expected closing tag 'testcase'");
    expect(error).toContain('line 3');
  });

  it('refuses a truncated file and says it ends early', () => {
    const text = fixture('pytest.xml');
    const atEnd = refused(parseJUnit('cut.xml', text.slice(0, text.indexOf('</failure>') + '</failure>'.length)));
    expect(atEnd).toBe('not well-formed XML: the file ends before <testsuites>, <testsuite>, <testcase> are closed (truncated?)');
    // Cut inside an attribute: where the unclosed tag starts.
    const midway = refused(parseJUnit('cut.xml', text.slice(0, text.indexOf('test_package_version') + 4)));
    expect(midway).toMatch(/^not well-formed XML: .*\(line 7, column \d+\)$/);
  });

  it('refuses empty files', () => {
    expect(refused(parseJUnit('e.xml', ''))).toBe('the file is empty');
    expect(refused(parseJUnit('e.xml', ' \n\t'))).toBe('the file is empty');
    expect(refused(parseJUnit('e.xml', new Uint8Array(0)))).toBe('the file is empty');
  });

  it('refuses files over the size limit before parsing', () => {
    const body = '<testcase name="t"/>'.repeat(Math.ceil(JUNIT_LIMITS.maxBytes / 20) + 10);
    const big = `<testsuite>${body}</testsuite>`;
    expect(refused(parseJUnit('big.xml', big))).toMatch(/over the 10 MiB limit/);
    expect(refused(parseJUnit('big.xml', new TextEncoder().encode(big)))).toMatch(/over the 10 MiB limit/);
    // Multi-byte text is measured in bytes, not characters.
    const wide = `<testsuite name="${'é'.repeat(JUNIT_LIMITS.maxBytes / 2 + 1)}"/>`;
    expect(refused(parseJUnit('wide.xml', wide))).toMatch(/over the 10 MiB limit/);
  });

  it('refuses entity declarations (billion laughs) without expanding them', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<testsuite><testcase name="&lol9;"/></testsuite>`;
    const error = refused(parseJUnit('results-py3.12.xml', laughs));
    expect(error).toContain('entity declarations are not allowed');
    expect(error).toContain('line 2, column 1');

    const xxe = '<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite><testcase name="&x;"/></testsuite>';
    expect(refused(parseJUnit('xxe.xml', xxe))).toContain('entity declarations are not allowed');
  });

  it('leaves undeclared entity references as text rather than expanding anything', () => {
    const f = parsed(parseJUnit('u.xml', '<testsuite><testcase name="a &foo; b"/></testsuite>'));
    expect(f.tests[0]?.name).toBe('a &foo; b');
  });

  it('does not mistake a DOCTYPE inside CDATA or a comment for a declaration', () => {
    const xml = `<testsuite><!-- <!DOCTYPE x> --><testcase name="html">
      <failure><![CDATA[expected <!DOCTYPE html> & <html>]]></failure></testcase></testsuite>`;
    const f = parsed(parseJUnit('cdata.xml', xml));
    expect(f.tests[0]?.details).toBe('expected <!DOCTYPE html> & <html>');
  });

  it('refuses 1,000-deep nesting', () => {
    const deep = `<testsuite>${'<testsuite>'.repeat(1000)}${'</testsuite>'.repeat(1000)}</testsuite>`;
    expect(refused(parseJUnit('deep.xml', deep))).toMatch(/nested more than 32 deep/);
  });

  it('reads the first maxTestCases test cases, counts the rest, and parses nothing after them', () => {
    const many = `<testsuite>${'<testcase name="t"/>'.repeat(JUNIT_LIMITS.maxTestCases + 1)}</testsuite>`;
    expect(JUNIT_LIMITS.maxTestCases).toBe(10_000);
    const f = parsed(parseJUnit('many.xml', many));
    expect(f.counts.total).toBe(10_000);
    expect(f.unread).toBe(1);

    // The cut closes every element open where it falls, in nested suites too; what follows the
    // cut is never parsed, so even a malformed tail cannot spoil what was read.
    const nested = `<testsuites><testsuite name="outer"><testsuite name="inner">
      <testcase name="a"><failure message="boom">x</failure></testcase>
      <testcase name="b"/>
      <testcase name="c"><failure message="hidden"/></testcase>
    </testsuite><testcase name="d"/></testsuite><testsuite name="late"><testcase name="e"/><oops></testsuites>`;
    const cut = parsed(parseJUnit('nested.xml', nested, { maxTestCases: 2 }));
    expect(cut.tests.map((t) => [t.suite, t.name, t.outcome])).toEqual([
      ['outer / inner', 'a', 'failed'],
      ['outer / inner', 'b', 'passed'],
    ]);
    expect(cut.counts).toEqual({ passed: 1, failed: 1, errored: 0, skipped: 0, total: 2 });
    expect(cut.unread).toBe(3);

    // Nothing read at all (a run cap already spent): every case is counted as unread.
    const none = parsed(parseJUnit('none.xml', nested, { maxTestCases: 0 }));
    expect([none.counts.total, none.unread]).toEqual([0, 5]);
    // Under the cap the whole file is read and nothing is unread.
    expect(parsed(parseJUnit('few.xml', `<testsuite>${'<testcase name="t"/>'.repeat(10)}</testsuite>`, { maxTestCases: 10 })).unread).toBe(0);
  });

  it('refuses a file with more elements than the limit as over a limit, counting only the part that is read', () => {
    const padded = `<testsuite><testcase name="a">${'<property/>'.repeat(30)}</testcase><testcase name="b"/></testsuite>`;
    const r = parseJUnit('padded.xml', padded, { maxElements: 20 });
    expect(r).toMatchObject({ ok: false, overLimit: true, error: expect.stringMatching(/^more than 20 elements \(the limit per file, at line 1, column \d+\); the file was not parsed$/) });
    // Elements after the last test case read cost nothing and do not count.
    expect(parsed(parseJUnit('padded.xml', padded, { maxElements: 20, maxTestCases: 0 })).unread).toBe(2);
    // Refusals for not being JUnit are not "over a limit".
    expect(parseJUnit('d.xml', '<!DOCTYPE x><testsuite/>')).not.toHaveProperty('overLimit');
    expect(parseJUnit('big.xml', 'x'.repeat(20), { maxBytes: 10 })).toMatchObject({ ok: false, overLimit: true });
  });

  it('returns promptly on 5 MB of pathological markup', () => {
    const fiveMB = 5 * 1024 * 1024;
    const deep = '<testsuite>'.repeat(Math.floor(fiveMB / 11));
    expect(refused(parseJUnit('deep.xml', deep))).toMatch(/nested more than 32 deep/);
    const attrs = `<testsuite ${Array.from({ length: 500_000 }, (_, i) => `a${i}="1"`).join(' ')}/>`;
    expect(attrs.length).toBeGreaterThan(fiveMB);
    expect(refused(parseJUnit('attrs.xml', attrs))).toMatch(/more than 256 attributes/);
    const open = '<a '.repeat(Math.floor(fiveMB / 3));
    expect(refused(parseJUnit('open.xml', open))).toBe('not well-formed XML: the tag <a is not closed (line 1, column 1)');
    // Shapes the XML validator takes seconds per megabyte over, refused by the pre-scan instead.
    expect(refused(parseJUnit('wide.xml', `<testsuite${' '.repeat(fiveMB)}/>`))).toMatch(/^a tag is longer than 64 KiB/);
    expect(refused(parseJUnit('name.xml', `<testsuite><testcase name="${'n'.repeat(fiveMB)}"/></testsuite>`))).toMatch(/^a tag is longer than 64 KiB/);
    expect(refused(parseJUnit('end.xml', `<testsuite></${'x'.repeat(fiveMB)}`))).toMatch(/^not well-formed XML: the tag <\/x+… is not closed \(line 1, column 12\)$/);
    expect(refused(parseJUnit('flat.xml', `<testsuite>${'<x/>'.repeat(fiveMB / 4)}</testsuite>`))).toMatch(/^more than 200,000 elements/);
  });

  it('refuses a document that is not JUnit', () => {
    expect(refused(parseJUnit('page.xml', '<html><body/></html>'))).toMatch(/root element is <html>/);
  });

  it('never throws, whatever the input', () => {
    const base = fixture('jest-junit.xml');
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.nat(base.length), fc.nat(base.length), (junk, at, cut) => {
        for (const input of [junk, base.slice(0, at) + junk + base.slice(at), base.slice(0, cut)]) {
          const r = parseJUnit('fuzz.xml', input);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('sumCounts and passRate', () => {
  it('sums counts and leaves skipped tests out of the rate', () => {
    const sum = sumCounts([
      { passed: 5, failed: 1, errored: 0, skipped: 0, total: 6 },
      { passed: 4, failed: 0, errored: 1, skipped: 3, total: 8 },
    ]);
    expect(sum).toEqual({ passed: 9, failed: 1, errored: 1, skipped: 3, total: 14 });
    expect(passRate(sum)).toBeCloseTo(9 / 11, 10);
    expect(sumCounts([])).toEqual({ passed: 0, failed: 0, errored: 0, skipped: 0, total: 0 });
  });

  it('has no rate when nothing ran', () => {
    expect(passRate({ passed: 0, failed: 0, errored: 0, skipped: 0, total: 0 })).toBeNull();
    expect(passRate({ passed: 0, failed: 0, errored: 0, skipped: 4, total: 4 })).toBeNull();
    expect(passRate({ passed: 0, failed: 5, errored: 0, skipped: 0, total: 5 })).toBe(0);
  });
});
