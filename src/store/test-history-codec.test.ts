import { describe, expect, it } from 'vitest';
import {
  aggregateOutcome,
  outcomeCode,
  outcomeOfCode,
  outcomeOfRunCode,
  pushRecent,
  recentRuns,
  recentStats,
  runCodeSides,
  runOutcomeCode,
} from './test-history-codec';

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

describe('run outcome codes', () => {
  it('marks a test its result files disagree on with X, else its outcome', () => {
    expect(runOutcomeCode({ outcome: 'failed', passed: 1, failed: 1 })).toBe('X');
    expect(runOutcomeCode({ outcome: 'passed', passed: 2, failed: 0 })).toBe('P');
    expect(runOutcomeCode({ outcome: 'errored', passed: 0, failed: 1 })).toBe('E');
    expect(runOutcomeCode({ outcome: 'skipped', passed: 0, failed: 0 })).toBe('S');
    expect(runOutcomeCode({ outcome: 'failed', passed: 0, failed: 3 })).toBe('F');
  });

  it('reads X as failed when comparing with another run', () => {
    expect(outcomeOfRunCode('X')).toBe('failed');
    expect(outcomeOfRunCode('P')).toBe('passed');
    expect(outcomeOfRunCode('E')).toBe('errored');
    expect(outcomeOfRunCode('S')).toBe('skipped');
    expect(outcomeOfRunCode('F')).toBe('failed');
  });

  it('says which sides a run saw, for flaky detection across runs', () => {
    expect(runCodeSides('X')).toEqual({ passed: true, failed: true });
    expect(runCodeSides('P')).toEqual({ passed: true, failed: false });
    expect(runCodeSides('E')).toEqual({ passed: false, failed: true });
    expect(runCodeSides('S')).toEqual({ passed: false, failed: false });
  });

  it('reads a recent history run by run, newest first', () => {
    expect(recentRuns('pFz')).toEqual([
      { outcome: 'passed', flaky: true },
      { outcome: 'failed', flaky: false },
      { outcome: null, flaky: true },
    ]);
  });
});
