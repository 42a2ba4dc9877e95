import { describe, expect, it } from 'vitest';
import { checkStateFromWorkflowRun, isForward, stateRank } from './conclusion';

describe('checkStateFromWorkflowRun', () => {
  it.each<[string, string]>([
    ['success', 'success'],
    ['failure', 'failure'],
    ['neutral', 'neutral'],
    ['cancelled', 'cancelled'],
    ['skipped', 'skipped'],
    ['timed_out', 'timed_out'],
    ['action_required', 'action_required'],
    // Apps may not set `stale` on a check run.
    ['stale', 'timed_out'],
    ['startup_failure', 'failure'],
  ])('maps a completed run concluding %s to %s', (conclusion, expected) => {
    expect(checkStateFromWorkflowRun({ status: 'completed', conclusion })).toEqual({
      status: 'completed',
      conclusion: expected,
    });
  });

  it.each([null, 'some_future_value'])('fails closed on a completed run concluding %s', (conclusion) => {
    expect(checkStateFromWorkflowRun({ status: 'completed', conclusion })).toEqual({
      status: 'completed',
      conclusion: 'failure',
    });
  });

  it('maps an in-progress run to in_progress without a conclusion', () => {
    expect(checkStateFromWorkflowRun({ status: 'in_progress', conclusion: null })).toEqual({
      status: 'in_progress',
      conclusion: null,
    });
  });

  it.each(['requested', 'queued', 'pending', 'waiting', null, 'something_new'])(
    'maps a run that has not started (%s) to queued',
    (status) => {
      expect(checkStateFromWorkflowRun({ status, conclusion: null })).toEqual({ status: 'queued', conclusion: null });
    },
  );

  it('ignores a conclusion on a run that is not completed', () => {
    expect(checkStateFromWorkflowRun({ status: 'in_progress', conclusion: 'failure' }).conclusion).toBeNull();
  });
});

describe('stateRank and isForward', () => {
  it('orders the coordinator’s states, then waiting, running and done', () => {
    expect(stateRank('pending')).toBe(stateRank('dispatched'));
    expect(stateRank('dispatched')).toBeLessThan(stateRank('queued'));
    for (const s of ['requested', 'waiting']) expect(stateRank(s)).toBe(stateRank('queued'));
    expect(stateRank('queued')).toBeLessThan(stateRank('in_progress'));
    expect(stateRank('in_progress')).toBeLessThan(stateRank('completed'));
    expect(stateRank('nonsense')).toBeLessThan(stateRank('pending'));
  });

  it.each<[string, string]>([
    ['pending', 'queued'],
    ['dispatched', 'in_progress'],
    ['queued', 'in_progress'],
    ['requested', 'completed'],
    ['in_progress', 'completed'],
    ['nonsense', 'queued'],
  ])('%s → %s moves forward', (from, to) => {
    expect(isForward(from, to)).toBe(true);
  });

  it.each<[string, string]>([
    // A late `requested` webhook after the run finished must not reopen the check.
    ['completed', 'requested'],
    ['completed', 'in_progress'],
    ['completed', 'completed'],
    ['in_progress', 'queued'],
    ['in_progress', 'in_progress'],
    ['queued', 'waiting'],
    ['queued', 'dispatched'],
    ['pending', 'nonsense'],
  ])('%s → %s does not', (from, to) => {
    expect(isForward(from, to)).toBe(false);
  });
});
