import { describe, expect, it } from 'vitest';
import { planReconcile, runClockStart, type ReconcileView } from './reconcile';

const T0 = Date.parse('2026-11-25T12:00:00.000Z');
const iso = (min: number) => new Date(T0 + min * 60_000).toISOString();
const at = (min: number) => new Date(T0 + min * 60_000);

function view(more: Partial<ReconcileView> = {}): ReconcileView {
  return { state: 'dispatched', createdAt: iso(0), dispatchedAt: iso(0), startedAt: null, updatedAt: iso(0), attempt: 1, ...more };
}

describe('planReconcile', () => {
  it('forgets finished and held dispatches', () => {
    expect(planReconcile(view({ state: 'completed' }), at(999))).toEqual({ kind: 'forget' });
    expect(planReconcile(view({ state: 'awaiting_approval' }), at(999))).toEqual({ kind: 'forget' });
  });

  it('a dispatch without a run waits dispatch_timeout_minutes (default 10), then looks the run up', () => {
    expect(planReconcile(view(), at(9))).toEqual({ kind: 'wait', until: at(10) });
    expect(planReconcile(view(), at(10))).toEqual({ kind: 'find_run', waitedMinutes: 10 });
    expect(planReconcile(view({ dispatchTimeoutMinutes: 30 }), at(11))).toEqual({ kind: 'wait', until: at(30) });
  });

  it('counts from creation when the dispatch request never went out', () => {
    expect(planReconcile(view({ state: 'pending', dispatchedAt: null }), at(11))).toMatchObject({ kind: 'find_run' });
    expect(planReconcile(view({ state: 'dispatching', dispatchedAt: null }), at(5))).toMatchObject({ kind: 'wait' });
  });

  it('a running dispatch is polled after 10 quiet minutes, and not again until 10 more have passed', () => {
    const running = view({ state: 'in_progress', startedAt: iso(1), updatedAt: iso(2) });
    expect(planReconcile(running, at(5))).toEqual({ kind: 'wait', until: at(12) });
    expect(planReconcile(running, at(12))).toEqual({ kind: 'poll' });
    expect(planReconcile(running, at(13), at(12))).toEqual({ kind: 'wait', until: at(22) });
  });

  it('times out a queued or running dispatch timeout_minutes (default 360) after its dispatch', () => {
    expect(planReconcile(view({ state: 'in_progress', updatedAt: iso(359) }), at(360))).toEqual({ kind: 'time_out', minutes: 360 });
    expect(planReconcile(view({ state: 'queued', updatedAt: iso(50) }), at(360))).toMatchObject({ kind: 'time_out' });
    expect(planReconcile(view({ state: 'in_progress', timeoutMinutes: 30, updatedAt: iso(25) }), at(29))).toEqual({ kind: 'wait', until: at(30) });
  });

  it('a re-run attempt gets its own timeout, counted from its start', () => {
    const rerun = view({ state: 'in_progress', attempt: 2, startedAt: iso(500), updatedAt: iso(500) });
    expect(planReconcile(rerun, at(505))).toMatchObject({ kind: 'wait' });
    expect(planReconcile(rerun, at(860))).toMatchObject({ kind: 'time_out' });
    expect(runClockStart(rerun)).toBe(T0 + 500 * 60_000);
  });
});
