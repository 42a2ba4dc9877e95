import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../test-results';
import { utf8Length } from '../text';
import { findSlowdowns, renderSlowdowns, SLOWDOWN_DEFAULTS } from './slowdown';
import type { TimedTest } from './tests';

const t = (id: string, durationSeconds: number | null, outcome: Outcome = 'passed', name = id): TimedTest => ({ id, name, outcome, durationSeconds });
const hist = (entries: Record<string, (number | null)[]>) => new Map(Object.entries(entries));

describe('findSlowdowns', () => {
  it('uses the issue’s defaults: 1.5× the median of the last 10 runs, with at least 5 samples', () => {
    expect(SLOWDOWN_DEFAULTS).toEqual({ factor: 1.5, window: 10, minSamples: 5 });
  });

  it('flags a 2× slowdown once the base branch has 5 timed runs of the test, and not before', () => {
    const now = [t('a', 2)];
    for (let runs = 0; runs <= 4; runs++) expect(findSlowdowns(now, hist({ a: Array(runs).fill(1) }))).toEqual([]);
    expect(findSlowdowns(now, hist({ a: [1, 1, 1, 1, 1] }))).toEqual([
      { id: 'a', name: 'a', currentSeconds: 2, medianSeconds: 1, factor: 2, samples: 5 },
    ]);
  });

  it('counts only timed runs as samples, but every run towards the window', () => {
    // 10 runs in the window, only 4 timed: not enough.
    const h = hist({ a: [1, null, 1, null, 1, null, 1, null, null, null, 1, 1, 1] });
    expect(findSlowdowns([t('a', 3)], h)).toEqual([]);
    // A wider window reaches the older timed runs.
    expect(findSlowdowns([t('a', 3)], h, { window: 13 })[0]).toMatchObject({ samples: 7, factor: 3 });
  });

  it('takes the median of the newest runs only', () => {
    // Newest 10 take 1 s; the 10 older took 10 s and must not count.
    const h = hist({ a: [...Array(10).fill(1), ...Array(10).fill(10)] });
    expect(findSlowdowns([t('a', 1.6)], h)[0]).toMatchObject({ medianSeconds: 1, samples: 10 });
  });

  it('uses the mean of the two middle samples for an even count', () => {
    const h = hist({ a: [1, 2, 3, 4, 100, 0.5] });
    // sorted 0.5 1 2 3 4 100 → median (2 + 3) / 2 = 2.5
    expect(findSlowdowns([t('a', 5)], h)[0]).toMatchObject({ medianSeconds: 2.5, factor: 2, samples: 6 });
    expect(findSlowdowns([t('a', 3.7)], h)).toEqual([]);
  });

  it('flags exactly the factor, and not just under it', () => {
    const h = hist({ a: [2, 2, 2, 2, 2] });
    expect(findSlowdowns([t('a', 3)], h)).toHaveLength(1);
    expect(findSlowdowns([t('a', 2.999)], h)).toEqual([]);
    // Floating-point noise at the boundary: 0.1 × 1.5 is 0.15000000000000002.
    const tenths = hist({ a: [0.2, 0.2, 0.2, 0.2, 0.2] });
    expect(findSlowdowns([t('a', 0.3)], tenths)).toHaveLength(1);
    expect(findSlowdowns([t('a', 3)], h, { factor: 1.51 })).toEqual([]);
  });

  it('ignores slowdowns under the duration floor (timer noise)', () => {
    const h = hist({ a: [0.01, 0.01, 0.01, 0.01, 0.01] });
    expect(findSlowdowns([t('a', 0.05)], h)).toEqual([]);
    expect(findSlowdowns([t('a', 0.5)], h)[0]).toMatchObject({ factor: 5, medianSeconds: 0.01, currentSeconds: 0.5 });
    expect(findSlowdowns([t('a', 0.05)], h, { floorSeconds: 0.001 })[0]!.factor).toBeCloseTo(5);
  });

  it('judges only tests that passed with a time now, and ignores bad history entries', () => {
    const h = hist({ a: [1, 1, 1, 1, 1], b: [1, 1, 1, 1, 1], c: [1, 1, 1, 1, 1], d: [1, -1, Number.NaN, 1, Number.POSITIVE_INFINITY, 1, 1] });
    // d's history holds only four usable times: not enough at the default of five.
    expect(findSlowdowns([t('a', 9, 'failed'), t('b', 9, 'skipped'), t('c', null), t('d', 9)], h)).toEqual([]);
    expect(findSlowdowns([t('d', 9)], h, { minSamples: 4 })).toEqual([{ id: 'd', name: 'd', currentSeconds: 9, medianSeconds: 1, factor: 9, samples: 4 }]);
  });

  it('judges a test reported by several matrix files on its mean time, and not at all if one failed', () => {
    const h = hist({ a: [1, 1, 1, 1, 1], b: [1, 1, 1, 1, 1] });
    expect(findSlowdowns([t('a', 1), t('a', 3), t('b', 5), t('b', 1, 'failed')], h)).toEqual([
      { id: 'a', name: 'a', currentSeconds: 2, medianSeconds: 1, factor: 2, samples: 5 },
    ]);
  });

  it('has no slowdown for a test without history', () => {
    expect(findSlowdowns([t('new', 100)], hist({}))).toEqual([]);
  });

  it('lists the largest factor first, then by name', () => {
    const h = hist({ a: Array(5).fill(1), b: Array(5).fill(1), c: Array(5).fill(1) });
    expect(findSlowdowns([t('c', 2, 'passed', 'zeta'), t('a', 4), t('b', 2, 'passed', 'alpha')], h).map((s) => s.name)).toEqual(['a', 'alpha', 'zeta']);
  });

  it('never flags a test at or below its median, for any history', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 5, maxLength: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (samples, fraction) => {
          const sorted = [...samples].sort((a, b) => a - b);
          const current = sorted[0]! + fraction * (sorted[Math.floor((sorted.length - 1) / 2)]! - sorted[0]!);
          expect(findSlowdowns([t('a', current)], hist({ a: samples }))).toEqual([]);
        },
      ),
    );
  });

  it('always flags a test at least the factor above every sample (and above the floor)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.1, max: 1000, noNaN: true }), { minLength: 5, maxLength: 10 }), fc.double({ min: 1.5, max: 50, noNaN: true }), (samples, k) => {
        const current = Math.max(...samples) * k;
        const [s] = findSlowdowns([t('a', current)], hist({ a: samples }));
        expect(s).toBeDefined();
        expect(s!.factor).toBeGreaterThanOrEqual(1.5 - 1e-9);
      }),
    );
  });
});

describe('renderSlowdowns', () => {
  const labels = { branch: 'main', factor: 1.5, window: 10 };
  const flagged = findSlowdowns([t('a', 2, 'passed', 'test_matmul'), t('b', 6, 'passed', 'test_<b>conv</b>')], hist({ a: Array(5).fill(1), b: Array(6).fill(2) }));

  it('says nothing when nothing was flagged', () => {
    expect(renderSlowdowns([], labels, { maxBytes: 10_000 })).toBe('');
  });

  it('lists each slowdown with its time now, its median, the factor and the runs it is over', () => {
    const md = renderSlowdowns(flagged, labels, { maxBytes: 10_000 });
    expect(md).toContain('#### Slower than usual (2)');
    expect(md).toContain('2 tests took at least 1.50× their median over the last 10 runs on `main`.');
    expect(md).toContain('| test\\_\\<b\\>conv\\</b\\> | 6.0 s | 2.0 s | 3.00× | 6 |');
    expect(md).toContain('| test\\_matmul | 2.0 s | 1.0 s | 2.00× | 5 |');
    expect(md.indexOf('conv')).toBeLessThan(md.indexOf('matmul'));
  });

  it('keeps to its budget, shortening the table first', () => {
    const many = findSlowdowns(
      Array.from({ length: 100 }, (_, i) => t(`t${i}`, 5, 'passed', `test_${i}`)),
      new Map(Array.from({ length: 100 }, (_, i) => [`t${i}`, [1, 1, 1, 1, 1]])),
    );
    const md = renderSlowdowns(many, labels, { maxBytes: 800 });
    expect(utf8Length(md)).toBeLessThanOrEqual(800);
    expect(md).toContain('#### Slower than usual (100)');
    expect(md).toMatch(/… and \d+ more\./);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), (budget) => {
        expect(utf8Length(renderSlowdowns(many, labels, { maxBytes: budget }))).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 200 },
    );
  });
});
