import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJUnit, type Counts, type TestCaseResult } from './junit';
import {
  chunk,
  combine,
  compareWithBase,
  aggregateOutcome,
  decideConclusion,
  findFlaky,
  outcomeCode,
  outcomeOfCode,
  pushRecent,
  recentStats,
  formatRate,
  renderSmokeMarkdown,
  rollingRate,
  selectAnnotations,
  type SmokeSet,
  type Unread,
} from './smoke';
import { unreadArtifact } from './smoke-artifact';

const pytest = readFileSync(new URL('../../test/fixtures/junit/pytest.xml', import.meta.url), 'utf8');
const allPassing = pytest.replace(/<failure[\s\S]*?<\/failure>/, '');

const counts = (passed: number, failed = 0, errored = 0, skipped = 0): Counts => ({
  passed,
  failed,
  errored,
  skipped,
  total: passed + failed + errored + skipped,
});

function test(overrides: Partial<TestCaseResult> & { name: string }): TestCaseResult {
  return {
    id: `suite::${overrides.name}`,
    classname: null,
    suite: 'suite',
    file: null,
    line: null,
    outcome: 'passed',
    message: null,
    details: null,
    durationSeconds: null,
    ...overrides,
  };
}

function smokeOf(c: Counts): SmokeSet {
  return combine([{ ok: true, file: { fileName: 'r.xml', tests: [], counts: c, flakyReruns: 0, unread: 0 } }]);
}

describe('combine', () => {
  it('keeps matrix files apart and sums them', () => {
    const smoke = combine([
      parseJUnit('results-py3.10.xml', pytest),
      parseJUnit('results-py3.11.xml', allPassing),
    ]);
    expect(smoke.files.map((f) => [f.fileName, formatRate(f.counts)])).toEqual([
      ['results-py3.10.xml', '5/6 (83%)'],
      ['results-py3.11.xml', '6/6 (100%)'],
    ]);
    expect(smoke.counts).toEqual(counts(11, 1));
    expect(smoke.rate).toBeCloseTo(11 / 12, 10);
    expect(smoke.problems).toEqual([]);
  });

  it('lists unreadable files as problems and leaves them out of the totals', () => {
    const smoke = combine([
      parseJUnit('results-py3.10.xml', pytest),
      parseJUnit('results-py3.12.xml', '<!DOCTYPE x [<!ENTITY a "b">]><testsuite/>'),
    ]);
    expect(smoke.files).toHaveLength(1);
    expect(smoke.counts).toEqual(counts(5, 1));
    expect(smoke.problems).toEqual([
      { fileName: 'results-py3.12.xml', error: expect.stringContaining('entity declarations are not allowed') },
    ]);
  });

  it('has no rate when no file could be read', () => {
    const smoke = combine([parseJUnit('a.xml', ''), parseJUnit('b.xml', '<a>')]);
    expect(smoke.files).toEqual([]);
    expect(smoke.problems).toHaveLength(2);
    expect(smoke.rate).toBeNull();
  });
});

describe('decideConclusion', () => {
  const fiveOfSix = smokeOf(counts(5, 1));
  const allSix = smokeOf(counts(6));
  const noData = combine([parseJUnit('results.xml', '')]);
  const onlySkipped = smokeOf(counts(0, 0, 0, 3));

  it.each([
    ['failure', fiveOfSix, 1, 'failure', 'workflow concluded failure'],
    ['failure', allSix, 1, 'failure', 'workflow concluded failure'],
    ['cancelled', allSix, 1, 'cancelled', 'workflow concluded cancelled'],
    ['timed_out', null, 1, 'timed_out', 'workflow concluded timed_out'],
    ['startup_failure', null, 1, 'failure', 'workflow concluded startup_failure'],
    ['action_required', null, 1, 'action_required', 'workflow concluded action_required'],
    ['skipped', fiveOfSix, 1, 'skipped', 'workflow concluded skipped'],
    ['neutral', fiveOfSix, 1, 'neutral', 'workflow concluded neutral'],
    // Fail closed like the check run itself: neutral would satisfy a required check.
    [null, allSix, 1, 'failure', 'the workflow finished without a conclusion'],
    ['something_new', allSix, 1, 'failure', 'workflow concluded something_new'],
    ['stale', allSix, 1, 'timed_out', 'workflow concluded stale'],
    ['success', null, 1, 'success', 'no smoke-test artifact: conclusion follows the workflow'],
    ['success', noData, 1, 'success', 'no smoke-test data (1 file could not be read): conclusion follows the workflow'],
    ['success', onlySkipped, 1, 'success', 'no smoke tests ran (3 skipped): conclusion follows the workflow'],
    ['success', fiveOfSix, 1, 'failure', 'smoke pass rate 5/6 (83%) is below the required 100%'],
    ['success', fiveOfSix, 0.9, 'failure', 'smoke pass rate 5/6 (83%) is below the required 90%'],
    ['success', fiveOfSix, 0.8, 'success', 'smoke pass rate 5/6 (83%) meets the required 80%'],
    ['success', fiveOfSix, 5 / 6, 'success', 'smoke pass rate 5/6 (83%) meets the required 83.3%'],
    ['success', allSix, 1, 'success', 'smoke pass rate 6/6 (100%) meets the required 100%'],
    ['success', smokeOf(counts(0, 6)), 0, 'success', 'smoke pass rate 0/6 (0%) meets the required 0%'],
  ] as const)('workflow %s, smoke %#, min %s → %s', (workflowConclusion, smoke, minPassRate, conclusion, rule) => {
    expect(decideConclusion({ workflowConclusion, smoke, minPassRate })).toEqual({ conclusion, rule });
  });

  it('says when some files could not be read even though the rate decided', () => {
    const smoke = combine([parseJUnit('a.xml', pytest), parseJUnit('b.xml', '<oops')]);
    expect(decideConclusion({ workflowConclusion: 'success', smoke, minPassRate: 1 }).rule).toBe(
      'smoke pass rate 5/6 (83%) is below the required 100%; 1 file could not be read',
    );
  });

  it('reads 7/10 against a required 0.7 as meeting it', () => {
    expect(decideConclusion({ workflowConclusion: 'success', smoke: smokeOf(counts(7, 3)), minPassRate: 0.7 }).conclusion).toBe(
      'success',
    );
  });
});

describe('decideConclusion when a limit left results unread', () => {
  const cut = (c: Counts, unread: Partial<Unread>): SmokeSet =>
    combine([{ ok: true, file: { fileName: 'r.xml', tests: [], counts: c, flakyReruns: 0, unread: unread.cases ?? 0 } }], {
      cases: 0,
      uncounted: false,
      notes: [],
      ...unread,
    });
  const decide = (smoke: SmokeSet, minPassRate: number, workflowConclusion = 'success') =>
    decideConclusion({ workflowConclusion, smoke, minPassRate });

  it.each([
    // Passing padding pushed two cases past the cap: they may be the failures.
    [cut(counts(10), { cases: 2 }), 1, 'failure', '2 test cases over the limit were not read, so the required 100% cannot be confirmed (10/10 (100%) of the test cases read passed)'],
    // Even if both failed, 10/12 meets 80%.
    [cut(counts(10), { cases: 2 }), 0.8, 'success', 'smoke pass rate 10/10 (100%) meets the required 80% even if the 2 test cases not read (over the limit) all failed'],
    [cut(counts(10), { cases: 3 }), 0.8, 'failure', '3 test cases over the limit were not read, so the required 80% cannot be confirmed (10/10 (100%) of the test cases read passed)'],
    // Failures in the part that was read decide on their own.
    [cut(counts(5, 5), { cases: 1 }), 0.8, 'failure', 'smoke pass rate 5/10 (50%) is below the required 80%; 1 test case over the limit was not read'],
    // Nothing that was read ran; the unread cases could be anything.
    [cut(counts(0, 0, 0, 4), { cases: 1 }), 1, 'failure', '1 test case over the limit was not read, so the required 100% cannot be confirmed (no test that was read ran)'],
    // How much went unread is unknown (files or bytes over a cap): only "any rate" passes.
    [cut(counts(10), { uncounted: true }), 1, 'failure', 'part of the smoke-test results was over a limit and not read, so the required 100% cannot be confirmed (10/10 (100%) of the test cases read passed)'],
    [cut(counts(10), { uncounted: true }), 0.01, 'failure', 'part of the smoke-test results was over a limit and not read, so the required 1% cannot be confirmed (10/10 (100%) of the test cases read passed)'],
    [cut(counts(10), { uncounted: true }), 0, 'success', 'any smoke pass rate meets the required 0% (10/10 (100%) of the test cases read passed; part of the smoke-test results was over a limit and not read)'],
    [unreadArtifact('The artifact is 120 MiB'), 1, 'failure', 'part of the smoke-test results was over a limit and not read, so the required 100% cannot be confirmed (no test that was read ran)'],
  ] as const)('smoke %#, min %s → %s', (smoke, minPassRate, conclusion, rule) => {
    expect(decide(smoke, minPassRate)).toEqual({ conclusion, rule });
  });

  it('leaves a workflow that did not succeed to decide on its own', () => {
    expect(decide(unreadArtifact('too large'), 1, 'cancelled')).toEqual({ conclusion: 'cancelled', rule: 'workflow concluded cancelled' });
  });

  it('passes only when the required rate holds even if every unread test case failed', () => {
    fc.assert(
      fc.property(
        fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50), fc.boolean(), fc.integer({ min: 0, max: 100 }),
        (passed, failed, skipped, unread, uncounted, percent) => {
          const min = percent / 100;
          const smoke = cut(counts(passed, failed, 0, skipped), { cases: unread, uncounted });
          const { conclusion } = decide(smoke, min);
          const worstRan = passed + failed + unread;
          if (conclusion === 'success' && min > 0) {
            expect(uncounted).toBe(false);
            if (worstRan > 0) expect(passed / worstRan).toBeGreaterThanOrEqual(min - 1e-9);
          }
          // Reading fewer cases never turns a failure into a pass.
          const fewer = cut(counts(passed, failed, 0, skipped), { cases: unread + 1, uncounted });
          if (conclusion === 'failure') expect(decide(fewer, min).conclusion).toBe('failure');
        },
      ),
    );
  });
});

describe('formatRate', () => {
  it.each([
    [counts(0), 'no tests'],
    [counts(0, 0, 0, 4), 'no tests'],
    [counts(0, 5), '0/5 (0%)'],
    [counts(5, 1), '5/6 (83%)'],
    [counts(6), '6/6 (100%)'],
    [counts(999, 1), '999/1000 (99%)'],
    [counts(1999, 0, 1), '1999/2000 (99%)'],
    [counts(2, 0, 0, 1), '2/2 (100%)'],
    [counts(1, 1, 0, 1), '1/2 (50%)'],
  ])('%o → %s', (c, text) => {
    expect(formatRate(c)).toBe(text);
  });
});

describe('compareWithBase', () => {
  const current = [
    test({ name: 'a', outcome: 'failed' }),
    test({ name: 'b', outcome: 'passed' }),
    test({ name: 'c', outcome: 'errored' }),
    test({ name: 'd', outcome: 'failed' }),
    test({ name: 'new', outcome: 'failed' }),
  ];

  it('finds tests that newly fail (including new tests) and newly pass', () => {
    const diff = compareWithBase(current, [
      { id: 'suite::a', outcome: 'passed' },
      { id: 'suite::b', outcome: 'failed' },
      { id: 'suite::c', outcome: 'skipped' },
      { id: 'suite::d', outcome: 'errored' },
    ]);
    expect(diff.newlyFailing.map((t) => t.name)).toEqual(['a', 'c', 'new']);
    expect(diff.newlyPassing.map((t) => t.name)).toEqual(['b']);
  });

  it('treats a test failing on any matrix entry as failing', () => {
    const matrix = [test({ name: 'x', outcome: 'passed' }), test({ name: 'x', outcome: 'failed', message: 'py3.11' })];
    const diff = compareWithBase(matrix, [{ id: 'suite::x', outcome: 'failed' }]);
    expect(diff).toEqual({ newlyFailing: [], newlyPassing: [] });
    const fromGreen = compareWithBase(matrix, [{ id: 'suite::x', outcome: 'passed' }]);
    expect(fromGreen.newlyFailing.map((t) => t.message)).toEqual(['py3.11']);
  });

  it('compares nothing without a base', () => {
    expect(compareWithBase(current, null)).toEqual({ newlyFailing: [], newlyPassing: [] });
  });
});

describe('findFlaky', () => {
  it('finds a test that failed on one attempt and passed on the re-run', () => {
    const flaky = findFlaky([
      { testId: 't1', name: 'test_package_import', outcome: 'failed', source: 'attempt 1 · results-py3.10.xml' },
      { testId: 't2', name: 'test_python_version', outcome: 'passed', source: 'attempt 1 · results-py3.10.xml' },
      { testId: 't3', name: 'test_basic_api_availability', outcome: 'failed', source: 'attempt 1 · results-py3.10.xml' },
      { testId: 't1', name: 'test_package_import', outcome: 'passed', source: 'attempt 2 · results-py3.10.xml' },
      { testId: 't2', name: 'test_python_version', outcome: 'passed', source: 'attempt 2 · results-py3.10.xml' },
      { testId: 't3', name: 'test_basic_api_availability', outcome: 'errored', source: 'attempt 2 · results-py3.10.xml' },
    ]);
    expect(flaky).toEqual([{ testId: 't1', name: 'test_package_import', passed: 1, failed: 1 }]);
  });

  it('counts errored as failed, ignores skipped, and does not count one source twice', () => {
    const flaky = findFlaky([
      { testId: 'a', name: 'a', outcome: 'errored', source: 'attempt 1' },
      { testId: 'a', name: 'a', outcome: 'skipped', source: 'attempt 2' },
      { testId: 'a', name: 'a', outcome: 'passed', source: 'attempt 3' },
      { testId: 'a', name: 'a', outcome: 'passed', source: 'attempt 3' },
      { testId: 'b', name: 'b', outcome: 'skipped', source: 'attempt 1' },
      { testId: 'b', name: 'b', outcome: 'passed', source: 'attempt 2' },
    ]);
    expect(flaky).toEqual([{ testId: 'a', name: 'a', passed: 1, failed: 1 }]);
  });
});

describe('rollingRate', () => {
  it('uses the newest runs only', () => {
    const runs = [counts(6), ...Array.from({ length: 25 }, () => counts(0, 6))];
    expect(rollingRate(runs, 1)).toEqual({ rate: 1, runs: 1 });
    expect(rollingRate(runs)).toEqual({ rate: 6 / 120, runs: 20 });
    expect(rollingRate(runs.slice(0, 3))).toEqual({ rate: 6 / 18, runs: 3 });
  });

  it('has no rate without runs or when nothing ran', () => {
    expect(rollingRate([])).toEqual({ rate: null, runs: 0 });
    expect(rollingRate([counts(0, 0, 0, 3)])).toEqual({ rate: null, runs: 1 });
  });
});

describe('selectAnnotations and chunk', () => {
  it('turns 120 failures into 3 batches of at most 50', () => {
    const tests = Array.from({ length: 150 }, (_, i) =>
      test({ name: `t${i}`, outcome: i < 120 ? (i % 2 ? 'failed' : 'errored') : 'passed', message: `m${i}` }),
    );
    const annotations = selectAnnotations(tests, { max: 1000, workflowPath: '.github/workflows/arm64-ci.yml' });
    expect(annotations).toHaveLength(120);
    const batches = chunk(annotations, 50);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(selectAnnotations(tests, { max: 30, workflowPath: 'w.yml' })).toHaveLength(30);
  });

  it('points at the test file and line when known, otherwise at the workflow file', () => {
    const [py, java, absolute, runner] = selectAnnotations(
      [
        test({ name: 'test_basic_api_availability', classname: 'tests.test_arm64_basic', outcome: 'failed', file: 'tests/test_arm64_basic.py', line: 55, message: 'AssertionError', details: 'trace' }),
        test({ name: 'readsConfig', classname: 'com.example.FooTest', outcome: 'errored', message: 'config.yml missing' }),
        test({ name: 'abs', outcome: 'failed', file: '/tmp/build/x.test.ts', line: 3 }),
        test({ name: 'runner', outcome: 'failed', file: '/home/runner/_work/calc/calc/src/calc.test.js', line: 0 }),
        test({ name: 'fine', outcome: 'passed', file: 'ok.py', line: 1 }),
      ],
      { max: 50, workflowPath: '.github/workflows/arm64-ci.yml' },
    );
    expect(py).toEqual({
      path: 'tests/test_arm64_basic.py',
      start_line: 55,
      end_line: 55,
      annotation_level: 'failure',
      title: 'Failed: tests.test_arm64_basic › test_basic_api_availability',
      message: 'AssertionError\n\ntrace',
    });
    expect(java).toMatchObject({
      path: '.github/workflows/arm64-ci.yml',
      start_line: 1,
      title: 'Error: com.example.FooTest › readsConfig',
      message: 'config.yml missing',
    });
    expect(absolute).toMatchObject({ path: '.github/workflows/arm64-ci.yml', start_line: 1, message: 'The test failed.\n(reported in /tmp/build/x.test.ts)' });
    expect(runner).toMatchObject({ path: 'src/calc.test.js', start_line: 1 });
  });

  it('annotates a test once even when several matrix files report it failing', () => {
    const failing = test({ name: 'test_api', outcome: 'failed', file: 'tests/t.py', line: 9, message: 'boom' });
    const annotations = selectAnnotations([failing, test({ name: 'ok' }), { ...failing, message: 'boom on 3.11' }], {
      max: 50,
      workflowPath: 'w.yml',
    });
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatchObject({ path: 'tests/t.py', start_line: 9, message: 'boom\n(failed in 2 result files)' });
  });

  it('keeps titles within 255 characters and messages within 64 KB', () => {
    const [a] = selectAnnotations(
      [test({ name: 'n'.repeat(1000), outcome: 'failed', message: '€'.repeat(40_000), details: 'd'.repeat(40_000) })],
      { max: 1, workflowPath: 'w.yml' },
    );
    expect(a?.title.length).toBeLessThanOrEqual(255);
    expect(new TextEncoder().encode(a?.message).length).toBeLessThanOrEqual(64 * 1024);
    expect(a?.message).toMatch(/trimmed\)$/);
  });

  it('chunks into batches and refuses a nonsense size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 50)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});

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

describe('recent history codes', () => {
  it('keeps the newest runs first within the window', () => {
    let recent = '';
    for (let i = 0; i < 25; i++) recent = pushRecent(recent, i === 24 ? outcomeCode('failed', false) : outcomeCode('passed', false), 20);
    expect(recent).toHaveLength(20);
    expect(recent.startsWith('FP')).toBe(true);
    expect(recentStats(recent)).toEqual({ rate: 19 / 20, ran: 20, passed: 19, flaky: false });
  });

  it('leaves skips out of the rate and marks flaky runs in lower case', () => {
    const recent = [outcomeCode('passed', true), outcomeCode('skipped', false), outcomeCode('errored', false)].join('');
    expect(recent).toBe('pSE');
    expect(recentStats(recent)).toEqual({ rate: 0.5, ran: 2, passed: 1, flaky: true });
    expect(recentStats('SS')).toEqual({ rate: null, ran: 0, passed: 0, flaky: false });
    expect(outcomeOfCode('f')).toBe('failed');
    expect(outcomeOfCode('?')).toBeNull();
  });

  it('lets any failure in a run win over passes in other matrix files', () => {
    expect(aggregateOutcome(['passed', 'failed', 'errored'])).toBe('failed');
    expect(aggregateOutcome(['passed', 'errored'])).toBe('errored');
    expect(aggregateOutcome(['skipped', 'passed'])).toBe('passed');
    expect(aggregateOutcome(['skipped'])).toBe('skipped');
  });
});
