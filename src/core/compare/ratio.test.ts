import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DURATION_FLOOR_SECONDS, durationRatio, formatChange, formatRatio, formatSeconds, median } from './ratio';

describe('durationRatio', () => {
  it('divides value by reference', () => {
    expect(durationRatio(3, 1.5)).toBe(2);
    expect(durationRatio(1, 4)).toBe(0.25);
  });

  it('counts times under the floor as the floor, so timer noise reads 1×', () => {
    expect(DURATION_FLOOR_SECONDS).toBe(0.1);
    expect(durationRatio(0.004, 0.001)).toBe(1);
    expect(durationRatio(0, 0)).toBe(1);
    // A real jump from a fast test still shows.
    expect(durationRatio(2, 0.01)).toBeCloseTo(20);
    expect(durationRatio(0.01, 2)).toBeCloseTo(0.05);
  });

  it('takes another floor when asked', () => {
    expect(durationRatio(3, 0.5, 1)).toBe(3);
    expect(durationRatio(0.004, 0.001, 0.001)).toBeCloseTo(4);
  });

  it.each<[number | null | undefined, number | null | undefined]>([
    [null, 1],
    [1, null],
    [undefined, 1],
    [-1, 1],
    [1, Number.NaN],
    [Number.POSITIVE_INFINITY, 1],
  ])('is null for an unknown time (%s ÷ %s)', (a, b) => {
    expect(durationRatio(a, b)).toBeNull();
  });

  it('is null for a zero reference without a floor, never Infinity', () => {
    expect(durationRatio(1, 0, 0)).toBeNull();
    expect(durationRatio(1, 0, -5)).toBeNull();
  });

  const time = fc.double({ min: 0, max: 1e6, noNaN: true });

  it('is positive, finite, and bounded by the larger time over the floor', () => {
    fc.assert(
      fc.property(time, time, (a, b) => {
        const r = durationRatio(a, b)!;
        expect(r).toBeGreaterThan(0);
        expect(Number.isFinite(r)).toBe(true);
        expect(r).toBeLessThanOrEqual(Math.max(a, DURATION_FLOOR_SECONDS) / DURATION_FLOOR_SECONDS + 1e-9);
      }),
    );
  });

  it('swapping the sides inverts it', () => {
    fc.assert(
      fc.property(time, time, (a, b) => {
        expect(durationRatio(a, b)! * durationRatio(b, a)!).toBeCloseTo(1, 9);
      }),
    );
  });

  it('grows with the value and shrinks with the reference', () => {
    fc.assert(
      fc.property(time, time, time, (a, b, ref) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(durationRatio(lo, ref)!).toBeLessThanOrEqual(durationRatio(hi, ref)!);
        expect(durationRatio(ref, lo)!).toBeGreaterThanOrEqual(durationRatio(ref, hi)!);
      }),
    );
  });

  it('is 1 for any two times under the floor', () => {
    const tiny = fc.double({ min: 0, max: DURATION_FLOOR_SECONDS, noNaN: true });
    fc.assert(
      fc.property(tiny, tiny, (a, b) => {
        expect(durationRatio(a, b)).toBe(1);
      }),
    );
  });
});

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
  });

  it('is the mean of the two middle values of an even count', () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([10, 2])).toBe(6);
    expect(median([1, 1, 5, 100])).toBe(3);
  });

  it('ignores values that are not finite, and is null for none', () => {
    expect(median([])).toBeNull();
    expect(median([Number.NaN, Number.POSITIVE_INFINITY])).toBeNull();
    expect(median([Number.NaN, 4, 2])).toBe(3);
  });

  const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 });

  it('lies between the smallest and the largest value', () => {
    fc.assert(
      fc.property(sample, (xs) => {
        const m = median(xs)!;
        expect(m).toBeGreaterThanOrEqual(Math.min(...xs));
        expect(m).toBeLessThanOrEqual(Math.max(...xs));
      }),
    );
  });

  it('does not depend on the order of the values', () => {
    fc.assert(
      fc.property(sample, fc.integer(), (xs, seed) => {
        const shuffled = [...xs].sort((a, b) => ((a * 31 + seed) % 7) - ((b * 31 + seed) % 7));
        expect(median(shuffled)).toBe(median(xs));
      }),
    );
  });

  it('has as many values at or below it as at or above it', () => {
    fc.assert(
      fc.property(sample, (xs) => {
        const m = median(xs)!;
        expect(xs.filter((x) => x <= m).length).toBeGreaterThanOrEqual(xs.length / 2);
        expect(xs.filter((x) => x >= m).length).toBeGreaterThanOrEqual(xs.length / 2);
      }),
    );
  });

  it('does not change the array it is given', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('formatting', () => {
  it.each<[number | null, string]>([
    [1, '1.00×'],
    [1.516, '1.52×'],
    [0.5, '0.50×'],
    [12.34, '12.3×'],
    [140.6, '141×'],
    [null, '—'],
    [Number.POSITIVE_INFINITY, '—'],
  ])('formatRatio(%s) is %s', (r, text) => {
    expect(formatRatio(r)).toBe(text);
  });

  it.each<[number | null, string]>([
    [0.004, '0.004 s'],
    [0.31, '0.31 s'],
    [4.21, '4.2 s'],
    [65, '1m 05s'],
    [7380, '2h 03m'],
    [null, '—'],
    [-1, '—'],
  ])('formatSeconds(%s) is %s', (s, text) => {
    expect(formatSeconds(s)).toBe(text);
  });

  it.each<[number, string]>([
    [0.148, '+14.8%'],
    [-0.03, '−3.0%'],
    [0, '0%'],
    [0.00001, '0%'],
    [1, '+100.0%'],
  ])('formatChange(%s) is %s', (f, text) => {
    expect(formatChange(f)).toBe(text);
  });
});
