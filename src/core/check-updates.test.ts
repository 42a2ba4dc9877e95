import { describe, expect, it } from 'vitest';
import { decideCheckUpdate, deferredNote, PROGRESS_INTERVAL_MS } from './check-updates';

const T0 = new Date('2026-11-25T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const shown = (status: string, view = 'v1') => ({ status, view, at: T0.toISOString() });
const base = { view: 'v2', now: at(1_000), jobsAllDone: false, lowBudget: false } as const;

describe('decideCheckUpdate', () => {
  it('sends nothing when the check run would show exactly what it shows', () => {
    expect(decideCheckUpdate({ ...base, status: 'completed', view: 'v1', shown: shown('completed') })).toEqual({ send: false, reason: 'unchanged' });
    expect(decideCheckUpdate({ ...base, status: 'in_progress', view: 'v1', shown: shown('in_progress') })).toEqual({ send: false, reason: 'unchanged' });
  });

  it('always sends a conclusion, also below the reserve and within the interval', () => {
    expect(decideCheckUpdate({ ...base, status: 'completed', shown: shown('in_progress'), lowBudget: true })).toEqual({ send: true });
  });

  it('defers progress below the reserve, status changes included', () => {
    expect(decideCheckUpdate({ ...base, status: 'in_progress', shown: shown('queued'), lowBudget: true })).toEqual({ send: false, reason: 'deferred' });
  });

  it('sends a status change at once, and the first update of a check run it has no record of', () => {
    expect(decideCheckUpdate({ ...base, status: 'in_progress', shown: shown('queued') })).toEqual({ send: true });
    expect(decideCheckUpdate({ ...base, status: 'queued', shown: null })).toEqual({ send: true });
  });

  it('leaves the last job finishing to the run completion that follows', () => {
    expect(decideCheckUpdate({ ...base, status: 'in_progress', shown: shown('in_progress'), jobsAllDone: true, now: at(10 * 60_000) })).toEqual({
      send: false,
      reason: 'completion-follows',
    });
  });

  it('shows other progress at most once per interval', () => {
    const s = shown('in_progress');
    expect(decideCheckUpdate({ ...base, status: 'in_progress', shown: s, now: at(PROGRESS_INTERVAL_MS - 1) })).toEqual({ send: false, reason: 'coalesced' });
    expect(decideCheckUpdate({ ...base, status: 'in_progress', shown: s, now: at(PROGRESS_INTERVAL_MS) })).toEqual({ send: true });
  });
});

describe('deferredNote', () => {
  it('says how low the budget was and what still went out', () => {
    const note = deferredNote({ remaining: 12, reserve: 500 });
    expect(note).toContain('12 requests left this hour, below the reserve of 500');
    expect(note).toContain('progress updates of this check run were deferred');
  });
});
