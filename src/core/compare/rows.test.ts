import { describe, expect, it } from 'vitest';
import type { Outcome } from '../test-results';
import { comparedTestRows } from './rows';
import type { TimedTest } from './tests';

const t = (id: string, outcome: Outcome, durationSeconds: number | null = 1): TimedTest => ({ id, name: `test_${id}`, outcome, durationSeconds });

describe('comparedTestRows: every test of both sides, one row each', () => {
  it('lists one-sided failures first, then failures on both, then ratios largest first, then the rest by name', () => {
    const rows = comparedTestRows(
      [t('slow', 'passed', 4), t('same', 'passed', 1), t('armfail', 'failed'), t('both', 'errored'), t('skip', 'skipped'), t('onlyarm', 'passed', 2), t('x86fail', 'passed', 1)],
      [t('slow', 'passed', 1), t('same', 'passed', 1), t('armfail', 'passed'), t('both', 'failed'), t('skip', 'passed'), t('x86fail', 'failed'), t('onlyx86', 'passed')],
    );
    expect(rows.map((r) => [r.id, r.ratio])).toEqual([
      ['armfail', null],
      ['x86fail', null],
      ['both', null],
      ['slow', 4],
      ['same', 1],
      ['onlyarm', null],
      ['onlyx86', null],
      ['skip', null],
    ]);
    expect(rows.find((r) => r.id === 'onlyarm')).toEqual({ id: 'onlyarm', name: 'test_onlyarm', target: { outcome: 'passed', seconds: 2 }, baseline: null, ratio: null });
    expect(rows.find((r) => r.id === 'skip')!.target).toEqual({ outcome: 'skipped', seconds: null });
  });

  it('merges matrix reports per test and clamps short times to the floor', () => {
    const rows = comparedTestRows([t('a', 'passed', 0.001), t('a', 'passed', 0.003)], [t('a', 'passed', 0.05)]);
    expect(rows).toEqual([{ id: 'a', name: 'test_a', target: { outcome: 'passed', seconds: 0.002 }, baseline: { outcome: 'passed', seconds: 0.05 }, ratio: 1 }]);
  });

  it('has no rows for two empty sides', () => {
    expect(comparedTestRows([], [])).toEqual([]);
  });
});
