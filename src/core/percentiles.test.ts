import { describe, expect, it } from 'vitest';
import { labelSetKey, percentile, spread, statsByLabelSet } from './percentiles';

describe('percentile (nearest rank)', () => {
  it('is null without values', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([Number.NaN, Number.POSITIVE_INFINITY], 90)).toBeNull();
  });

  it('of one value is that value at every percentile', () => {
    expect(percentile([42], 1)).toBe(42);
    expect(percentile([42], 50)).toBe(42);
    expect(percentile([42], 100)).toBe(42);
  });

  it('picks a value that occurred, whatever the input order', () => {
    const v = [15, 20, 35, 40, 50];
    expect(percentile(v, 30)).toBe(20);
    expect(percentile(v, 40)).toBe(20);
    expect(percentile(v, 50)).toBe(35);
    expect(percentile([50, 40, 35, 20, 15], 100)).toBe(50);
  });

  it('p50 and p90 of 1..10 and of 1..100', () => {
    const ten = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 90)).toBe(9);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 90)).toBe(90);
  });

  it('an outlier moves p90 but not p50', () => {
    const v = [10, 11, 12, 13, 14, 15, 16, 17, 18, 3600];
    expect(percentile(v, 50)).toBe(14);
    expect(percentile(v, 90)).toBe(18);
    expect(percentile([...v, 3600], 90)).toBe(3600);
  });

  it('does not modify its input', () => {
    const v = [3, 1, 2];
    percentile(v, 50);
    expect(v).toEqual([3, 1, 2]);
  });

  it('refuses a percentile outside (0, 100]', () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('spread', () => {
  it('counts only finite values', () => {
    expect(spread([1, 2, Number.NaN, 3])).toEqual({ count: 3, p50: 2, p90: 3 });
    expect(spread([])).toEqual({ count: 0, p50: null, p90: null });
  });
});

describe('statsByLabelSet', () => {
  it('groups label sets case- and order-insensitively, the busiest first', () => {
    const stats = statsByLabelSet([
      { labels: ['self-hosted', 'ARM64'], queueSeconds: 10, durationSeconds: 100 },
      { labels: ['arm64', 'self-hosted'], queueSeconds: 30, durationSeconds: null },
      { labels: ['arm64', 'self-hosted', 'self-hosted'], queueSeconds: 20, durationSeconds: 300 },
      { labels: ['self-hosted', 'arm64', 'dgx'], queueSeconds: null, durationSeconds: null },
    ]);
    expect(stats).toEqual([
      { labels: ['arm64', 'self-hosted'], jobs: 3, queueSeconds: { count: 3, p50: 20, p90: 30 }, durationSeconds: { count: 2, p50: 100, p90: 300 } },
      {
        labels: ['arm64', 'dgx', 'self-hosted'],
        jobs: 1,
        queueSeconds: { count: 0, p50: null, p90: null },
        durationSeconds: { count: 0, p50: null, p90: null },
      },
    ]);
  });

  it('labelSetKey trims, lower-cases, de-duplicates and sorts', () => {
    expect(labelSetKey([' DGX', 'arm64', 'dgx', ''])).toEqual(['arm64', 'dgx']);
  });
});
