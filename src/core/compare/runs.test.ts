import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../test-results';
import { compareRuns, type Leg, type RunResults } from './runs';
import { mergeTests, type TimedTest } from './tests';

const t = (id: string, outcome: Outcome, durationSeconds: number | null = 1, name = id): TimedTest => ({
  id,
  name,
  outcome,
  durationSeconds,
});
const run = (tests: TimedTest[], jobs?: Leg[]): RunResults => ({ tests, jobs });
const leg = (name: string, conclusion: string | null, durationSeconds: number | null, matrix?: string[]): Leg => ({
  name,
  conclusion,
  durationSeconds,
  ...(matrix ? { matrix } : {}),
});

describe('mergeTests: one record per test across matrix files', () => {
  it('lets a failure win over passes, an error over a pass, and a pass over a skip', () => {
    const m = mergeTests([t('a', 'passed'), t('a', 'failed'), t('b', 'passed'), t('b', 'errored'), t('c', 'skipped'), t('c', 'passed')]);
    expect([...m.values()].map((x) => [x.id, x.outcome])).toEqual([
      ['a', 'failed'],
      ['b', 'errored'],
      ['c', 'passed'],
    ]);
  });

  it('takes the mean time of the passing reports, and keeps the first name', () => {
    const m = mergeTests([t('a', 'passed', 1, 'first'), t('a', 'passed', 3, 'second'), t('a', 'failed', 100), t('a', 'passed', null)]);
    expect(m.get('a')).toEqual({ id: 'a', name: 'first', outcome: 'failed', durationSeconds: 2 });
  });

  it('has no time when no passing report had one', () => {
    expect(mergeTests([t('a', 'skipped', 5), t('a', 'passed', null)]).get('a')!.durationSeconds).toBeNull();
  });
});

describe('compareRuns: pass rates', () => {
  it('puts both pass rates side by side, one per test when no counts are given', () => {
    const c = compareRuns(
      run([t('a', 'passed'), t('b', 'failed'), t('c', 'skipped'), t('a', 'passed')]),
      run([t('a', 'passed'), t('b', 'passed')]),
    );
    expect(c.target).toEqual({ counts: { passed: 1, failed: 1, errored: 0, skipped: 1, total: 3 }, rate: 0.5 });
    expect(c.baseline).toEqual({ counts: { passed: 2, failed: 0, errored: 0, skipped: 0, total: 2 }, rate: 1 });
  });

  it('uses the counts the check run shows when given', () => {
    const counts = { passed: 9, failed: 1, errored: 0, skipped: 0, total: 10 };
    const c = compareRuns({ tests: [t('a', 'passed')], counts }, run([]));
    expect(c.target).toEqual({ counts, rate: 0.9 });
    expect(c.baseline.rate).toBeNull();
  });
});

describe('compareRuns: tests failing on one side only', () => {
  const arm = run([
    t('passes-on-x86', 'failed', 1, 'test_simd'),
    t('skipped-on-x86', 'errored', 1, 'test_neon'),
    t('missing-on-x86', 'failed', 1, 'test_arm_only'),
    t('both', 'failed'),
    t('fine', 'passed'),
    t('x86-broken', 'passed', 1, 'test_avx'),
    t('x86-broken-skipped-here', 'skipped'),
  ]);
  const x86 = run([
    t('passes-on-x86', 'passed'),
    t('skipped-on-x86', 'skipped'),
    t('both', 'errored'),
    t('fine', 'passed'),
    t('x86-broken', 'failed', 1, 'test_avx'),
    t('x86-broken-skipped-here', 'failed', 1, 'test_sse'),
    t('x86-only', 'errored', 1, 'test_x86_only'),
  ]);
  const c = compareRuns(arm, x86);

  it('lists tests failing only on the arm64 target, by name, with what the baseline did', () => {
    expect(c.failingOnlyOnTarget).toEqual([
      { id: 'missing-on-x86', name: 'test_arm_only', outcome: 'failed', other: 'absent' },
      { id: 'skipped-on-x86', name: 'test_neon', outcome: 'errored', other: 'skipped' },
      { id: 'passes-on-x86', name: 'test_simd', outcome: 'failed', other: 'passed' },
    ]);
  });

  it('lists tests failing only on the baseline the same way', () => {
    expect(c.failingOnlyOnBaseline).toEqual([
      { id: 'x86-broken', name: 'test_avx', outcome: 'failed', other: 'passed' },
      { id: 'x86-broken-skipped-here', name: 'test_sse', outcome: 'failed', other: 'skipped' },
      { id: 'x86-only', name: 'test_x86_only', outcome: 'errored', other: 'absent' },
    ]);
  });

  it('counts tests failing on both sides apart (an error and a failure are both failing)', () => {
    expect(c.failingOnBoth).toBe(1);
  });

  it('counts a test failing in any matrix file of the target as failing there', () => {
    const x = compareRuns(run([t('a', 'passed'), t('a', 'failed')]), run([t('a', 'passed')]));
    expect(x.failingOnlyOnTarget.map((f) => f.id)).toEqual(['a']);
  });

  it('has nothing one-sided for identical runs', () => {
    const same = run([t('a', 'passed'), t('b', 'failed')]);
    const x = compareRuns(same, same);
    expect([x.failingOnlyOnTarget, x.failingOnlyOnBaseline, x.failingOnBoth]).toEqual([[], [], 1]);
  });
});

describe('compareRuns: durations', () => {
  it('takes the total ratio over the tests that passed with a time on both sides only', () => {
    const c = compareRuns(
      run([t('a', 'passed', 3), t('b', 'passed', 5), t('slow-fail', 'failed', 600), t('arm-only', 'passed', 60), t('untimed', 'passed', null)]),
      run([t('a', 'passed', 1), t('b', 'passed', 3), t('slow-fail', 'passed', 1), t('x86-skip', 'skipped', 0), t('untimed', 'passed', 2)]),
    );
    expect(c.total).toEqual({ tests: 2, targetSeconds: 8, baselineSeconds: 4, ratio: 2 });
  });

  it('has no total ratio when no test passed with a time on both sides', () => {
    const c = compareRuns(run([t('a', 'passed', null)]), run([t('a', 'passed', 1)]));
    expect(c.total).toEqual({ tests: 0, targetSeconds: 0, baselineSeconds: 0, ratio: null });
    expect(c.largestRatios).toEqual([]);
  });

  it('clamps per-test times to the floor, so millisecond tests do not top the list', () => {
    const c = compareRuns(
      run([t('noise', 'passed', 0.009), t('real', 'passed', 3), t('jump', 'passed', 1)]),
      run([t('noise', 'passed', 0.001), t('real', 'passed', 2), t('jump', 'passed', 0.02)]),
    );
    expect(c.floorSeconds).toBe(0.1);
    expect(c.largestRatios.map((r) => [r.id, Number(r.ratio.toFixed(3))])).toEqual([
      ['jump', 10],
      ['real', 1.5],
      ['noise', 1],
    ]);
    // The reported times stay the measured ones.
    expect(c.largestRatios[2]).toMatchObject({ targetSeconds: 0.009, baselineSeconds: 0.001 });
  });

  it('takes another floor when asked', () => {
    const c = compareRuns(run([t('a', 'passed', 0.004)]), run([t('a', 'passed', 0.001)]), { floorSeconds: 0.001 });
    expect(c.largestRatios[0]!.ratio).toBeCloseTo(4);
  });

  it('keeps the ten largest ratios, largest first; ties go to the larger gap in seconds, then the name', () => {
    const arm: TimedTest[] = [];
    const x86: TimedTest[] = [];
    for (let i = 1; i <= 15; i++) {
      arm.push(t(`t${String(i).padStart(2, '0')}`, 'passed', i));
      x86.push(t(`t${String(i).padStart(2, '0')}`, 'passed', 1));
    }
    // Same ratio as t15 (15×) but a larger gap: it comes first, though its name sorts last.
    arm.push(t('z-big', 'passed', 30));
    x86.push(t('z-big', 'passed', 2));
    // Same ratio and gap as t14: the name decides.
    arm.push(t('a-tie', 'passed', 14));
    x86.push(t('a-tie', 'passed', 1));
    const c = compareRuns(run(arm), run(x86));
    expect(c.largestRatios.map((r) => r.id)).toEqual(['z-big', 't15', 'a-tie', 't14', 't13', 't12', 't11', 't10', 't09', 't08']);
    expect(compareRuns(run(arm), run(x86), { top: 3 }).largestRatios).toHaveLength(3);
  });

  it('compares per test with the mean time when the sides ran different numbers of matrix legs', () => {
    const c = compareRuns(run([t('a', 'passed', 2), t('a', 'passed', 4), t('a', 'passed', 6)]), run([t('a', 'passed', 2)]));
    expect(c.largestRatios[0]).toMatchObject({ targetSeconds: 4, baselineSeconds: 2, ratio: 2 });
  });

  const timedRun = fc.array(
    fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      outcome: fc.constantFrom<Outcome>('passed', 'failed', 'errored', 'skipped'),
      durationSeconds: fc.option(fc.double({ min: 0, max: 1000, noNaN: true })),
    }),
    { maxLength: 20 },
  );

  it('orders the largest ratios and keeps every ratio within the floor’s bounds, for any runs', () => {
    fc.assert(
      fc.property(timedRun, timedRun, (a, b) => {
        const c = compareRuns(run(a.map((x) => ({ ...x, name: x.id }))), run(b.map((x) => ({ ...x, name: x.id }))));
        expect(c.largestRatios.length).toBeLessThanOrEqual(Math.min(10, c.total.tests));
        for (let i = 1; i < c.largestRatios.length; i++) expect(c.largestRatios[i - 1]!.ratio).toBeGreaterThanOrEqual(c.largestRatios[i]!.ratio);
        for (const r of c.largestRatios) {
          expect(r.ratio).toBeGreaterThan(0);
          expect(r.ratio).toBeLessThanOrEqual(1000 / c.floorSeconds + 1e-9);
        }
        if (c.total.ratio !== null) expect(c.total.ratio).toBeGreaterThan(0);
        // Swapping the sides swaps the one-sided lists.
        const s = compareRuns(run(b.map((x) => ({ ...x, name: x.id }))), run(a.map((x) => ({ ...x, name: x.id }))));
        expect(s.failingOnlyOnTarget).toEqual(c.failingOnlyOnBaseline);
        expect(s.failingOnBoth).toBe(c.failingOnBoth);
        expect(s.total.tests).toBe(c.total.tests);
      }),
      { numRuns: 300 },
    );
  });
});

describe('compareRuns: matrix legs side by side', () => {
  it('matches legs by job name and matrix values, parsed from the names', () => {
    const c = compareRuns(
      run([], [leg('test (3.11, numpy)', 'success', 240), leg('test (3.12, numpy)', 'failure', 60), leg('lint', 'success', 10)]),
      run([], [leg('test (3.12, numpy)', 'success', 30), leg('test (3.11, numpy)', 'success', 120), leg('lint', 'success', 12)]),
    );
    expect(c.legs).toEqual([
      {
        job: 'test',
        matrix: ['3.11', 'numpy'],
        target: { name: 'test (3.11, numpy)', conclusion: 'success', durationSeconds: 240 },
        baseline: { name: 'test (3.11, numpy)', conclusion: 'success', durationSeconds: 120 },
        ratio: 2,
      },
      {
        job: 'test',
        matrix: ['3.12', 'numpy'],
        target: { name: 'test (3.12, numpy)', conclusion: 'failure', durationSeconds: 60 },
        baseline: { name: 'test (3.12, numpy)', conclusion: 'success', durationSeconds: 30 },
        ratio: 2,
      },
      {
        job: 'lint',
        matrix: [],
        target: { name: 'lint', conclusion: 'success', durationSeconds: 10 },
        baseline: { name: 'lint', conclusion: 'success', durationSeconds: 12 },
        ratio: 10 / 12,
      },
    ]);
  });

  it('uses the matrix values given, and pairs differently named jobs by matrix values when unambiguous', () => {
    const c = compareRuns(
      run([], [leg('arm tests', 'success', 100, ['3.11']), leg('arm tests', 'success', 90, ['3.12'])]),
      run([], [leg('x86 tests (3.12)', 'success', 45), leg('x86 tests (3.11)', 'success', 50)]),
    );
    expect(c.legs.map((l) => [l.job, l.matrix, l.baseline?.name, l.ratio])).toEqual([
      ['arm tests', ['3.11'], 'x86 tests (3.11)', 2],
      ['arm tests', ['3.12'], 'x86 tests (3.12)', 2],
    ]);
  });

  it('does not guess when matrix values alone are ambiguous, and shows the unmatched legs on their own side', () => {
    const c = compareRuns(
      run([], [leg('build (3.11)', 'success', 10), leg('test (3.11)', 'success', 20), leg('docs', 'success', 5)]),
      run([], [leg('compile (3.11)', 'success', 10), leg('check (3.11)', 'success', 20), leg('bench (3.13)', 'cancelled', null)]),
    );
    expect(c.legs.map((l) => [l.job, l.target?.name ?? null, l.baseline?.name ?? null, l.ratio])).toEqual([
      ['build', 'build (3.11)', null, null],
      ['test', 'test (3.11)', null, null],
      ['docs', 'docs', null, null],
      ['compile', null, 'compile (3.11)', null],
      ['check', null, 'check (3.11)', null],
      ['bench', null, 'bench (3.13)', null],
    ]);
  });

  it('keeps the first report of a leg listed twice, has no ratio without both durations, and floors at 1 s', () => {
    const c = compareRuns(
      run([], [leg('t (1)', 'success', 10), leg('t (1)', 'failure', 99), leg('t (2)', null, null), leg('t (3)', 'success', 0)]),
      run([], [leg('t (1)', 'success', 5), leg('t (2)', 'success', 5), leg('t (3)', 'success', 0)]),
    );
    expect(c.legs.map((l) => [l.matrix[0], l.target?.conclusion, l.ratio])).toEqual([
      ['1', 'success', 2],
      ['2', null, null],
      ['3', 'success', 1],
    ]);
  });

  it('has no legs when neither side reported jobs', () => {
    expect(compareRuns(run([]), run([])).legs).toEqual([]);
  });
});
