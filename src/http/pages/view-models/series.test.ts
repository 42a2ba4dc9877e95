import { encodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import type { DispatchItem } from '../../../store/dispatches';
import { dispatchedAt, durationSeries, queueSeries, SERIES_POINTS } from './series';

const T0 = Date.parse('2026-12-01T10:00:00Z');
/** A dispatch id made `min` minutes after T0 (a ULID's first 10 characters are its time). */
const idAt = (min: number, tail = 'A') => `${encodeTime(T0 + min * 60_000, 10)}${tail.padEnd(16, '0')}`;
const iso = (min: number, sec = 0) => new Date(T0 + min * 60_000 + sec * 1000).toISOString();

const run = (min: number, over: Partial<DispatchItem> = {}) =>
  ({
    dispatchId: idAt(min),
    sha: `${min}`.padStart(40, 'a'),
    state: 'completed',
    createdAt: iso(min),
    startedAt: iso(min, 10),
    completedAt: iso(min, 100),
    ...over,
  }) as DispatchItem;

describe('dispatchedAt', () => {
  it('reads the time a ULID was made', () => {
    expect(dispatchedAt(idAt(5))).toBe(iso(5));
  });
  it('is null for anything that is not a ULID', () => {
    expect(dispatchedAt('not-an-id')).toBeNull();
    expect(dispatchedAt('')).toBeNull();
  });
});

describe('durationSeries', () => {
  it('one point per completed run, oldest first, start to finish in seconds', () => {
    // The store lists newest first.
    const s = durationSeries([run(3, { completedAt: iso(3, 40) }), run(2), run(1, { state: 'in_progress', completedAt: null })]);
    expect(s.points).toEqual([
      { dispatchId: idAt(2), at: iso(2), value: 90, sha: run(2).sha },
      { dispatchId: idAt(3), at: iso(3), value: 30, sha: run(3).sha },
    ]);
    expect(s.latest).toBe(30);
  });

  it('leaves out runs that never started, and is empty without runs', () => {
    expect(durationSeries([run(1, { startedAt: null })]).points).toEqual([]);
    expect(durationSeries([])).toEqual({ points: [], latest: null });
  });

  it('keeps the newest 20', () => {
    const runs = Array.from({ length: 30 }, (_, i) => run(30 - i));
    const s = durationSeries(runs);
    expect(s.points).toHaveLength(SERIES_POINTS);
    expect(s.points[0]!.dispatchId).toBe(idAt(11));
    expect(s.points.at(-1)!.dispatchId).toBe(idAt(30));
  });
});

describe('queueSeries', () => {
  it('per run, the longest wait of its jobs; jobs not started yet do not count', () => {
    const s = queueSeries(
      [
        { dispatchId: idAt(2), queueSeconds: 40 },
        { dispatchId: idAt(1), queueSeconds: 10 },
        { dispatchId: idAt(1), queueSeconds: 300 },
        { dispatchId: idAt(1) },
        { dispatchId: idAt(3) },
      ],
      (id) => (id === idAt(1) ? 'abc' : null),
    );
    expect(s.points).toEqual([
      { dispatchId: idAt(1), at: iso(1), value: 300, sha: 'abc' },
      { dispatchId: idAt(2), at: iso(2), value: 40, sha: null },
    ]);
    expect(s.latest).toBe(40);
  });

  it('a wait of zero is a value, not a gap', () => {
    expect(queueSeries([{ dispatchId: idAt(1), queueSeconds: 0 }]).points.map((p) => p.value)).toEqual([0]);
  });
});
