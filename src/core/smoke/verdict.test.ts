import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counts } from '../../../test/support/test-results';
import { parseJUnit } from '../junit';
import type { Counts } from '../test-results';
import { unreadArtifact } from './artifact';
import { combine, decideConclusion, formatRate, type SmokeSet, type Unread } from './verdict';

const pytest = readFileSync(new URL('../../../test/fixtures/junit/pytest.xml', import.meta.url), 'utf8');
const allPassing = pytest.replace(/<failure[\s\S]*?<\/failure>/, '');

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

describe('decideConclusion: slowdowns (smoke_tests.max_slowdown)', () => {
  const passing = smokeOf(counts(10, 0));
  const base = { workflowConclusion: 'success', smoke: passing, minPassRate: 1 };
  const rule = 'smoke pass rate 10/10 (100%) meets the required 100%';

  it('decides exactly as before without a slowdown input, or when the repository did not opt in', () => {
    expect(decideConclusion(base)).toEqual({ conclusion: 'success', rule });
    expect(decideConclusion({ ...base, slowdown: { flagged: 7, max: null } })).toEqual({ conclusion: 'success', rule });
  });

  it('fails the check when more tests slowed down than max_slowdown allows', () => {
    expect(decideConclusion({ ...base, slowdown: { flagged: 1, max: 0 } })).toEqual({
      conclusion: 'failure',
      rule: `1 test flagged as slower than usual, more than the 0 that smoke_tests.max_slowdown allows (${rule})`,
    });
    expect(decideConclusion({ ...base, slowdown: { flagged: 4, max: 3 } }).conclusion).toBe('failure');
  });

  it('passes at exactly max_slowdown, saying so', () => {
    expect(decideConclusion({ ...base, slowdown: { flagged: 3, max: 3 } })).toEqual({
      conclusion: 'success',
      rule: `${rule}; 3 tests flagged as slower than usual, within the 3 that smoke_tests.max_slowdown allows`,
    });
    expect(decideConclusion({ ...base, slowdown: { flagged: 0, max: 0 } }).conclusion).toBe('success');
  });

  it('never changes a failed, cancelled or smoke-failed verdict', () => {
    const slow = { flagged: 9, max: 0 };
    expect(decideConclusion({ ...base, workflowConclusion: 'cancelled', slowdown: slow })).toEqual(
      decideConclusion({ ...base, workflowConclusion: 'cancelled' }),
    );
    expect(decideConclusion({ ...base, workflowConclusion: 'failure', slowdown: slow })).toEqual(
      decideConclusion({ ...base, workflowConclusion: 'failure' }),
    );
    const red = { ...base, smoke: smokeOf(counts(5, 5)) };
    expect(decideConclusion({ ...red, slowdown: slow })).toEqual(decideConclusion(red));
  });

  it('applies when there are no smoke results too (then nothing can have been flagged, unless the caller says so)', () => {
    expect(decideConclusion({ ...base, smoke: null, slowdown: { flagged: 0, max: 0 } }).conclusion).toBe('success');
    expect(decideConclusion({ ...base, smoke: null, slowdown: { flagged: 2, max: 1 } }).conclusion).toBe('failure');
  });

  it('only ever turns a success into a failure, and only when flagged exceeds max', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('success', 'failure', 'cancelled', 'timed_out', null),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.option(fc.integer({ min: 0, max: 20 })),
        (workflowConclusion, passed, failed, flagged, max) => {
          const args = { workflowConclusion, smoke: smokeOf(counts(passed, failed)), minPassRate: 0.5 };
          const before = decideConclusion(args);
          const after = decideConclusion({ ...args, slowdown: { flagged, max } });
          if (before.conclusion !== 'success' || max === null) expect(after).toEqual(before);
          else expect(after.conclusion).toBe(flagged > max ? 'failure' : 'success');
        },
      ),
    );
  });
});
