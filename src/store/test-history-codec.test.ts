import { describe, expect, it } from 'vitest';
import { aggregateOutcome, outcomeCode, outcomeOfCode, pushRecent, recentStats } from './test-history-codec';

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
