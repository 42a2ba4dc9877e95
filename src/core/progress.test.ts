import { describe, expect, it } from 'vitest';
import { progressOf, stateOfStatus } from './progress';

describe('progressOf', () => {
  it('orders the life of a dispatch', () => {
    const order = ['pending', 'dispatching', 'dispatched', 'queued', 'in_progress', 'completed'];
    const ranks = order.map((s) => progressOf(s));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks.slice(2)).size).toBe(4);
  });

  it('lets a new attempt move a completed run back to queued', () => {
    expect(progressOf('queued', 2)).toBeGreaterThan(progressOf('completed', 1));
    expect(progressOf('in_progress', 1)).toBeLessThan(progressOf('completed', 1));
  });

  it('treats GitHub waiting/requested like queued', () => {
    expect(progressOf('requested')).toBe(progressOf('queued'));
    expect(progressOf('waiting')).toBe(progressOf('queued'));
  });
});

describe('stateOfStatus', () => {
  it.each([
    ['requested', 'queued'],
    ['pending', 'queued'],
    ['waiting', 'queued'],
    ['queued', 'queued'],
    ['in_progress', 'in_progress'],
    ['completed', 'completed'],
    [null, 'queued'],
  ])('%s → %s', (s, want) => expect(stateOfStatus(s)).toBe(want));
});
