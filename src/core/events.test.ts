import { describe, expect, it } from 'vitest';
import { classifyEvent } from './events';

describe('classifyEvent', () => {
  it('acts on the handled actions of the handled events only', () => {
    expect(classifyEvent('push', {})).toEqual({ handled: true });
    expect(classifyEvent('pull_request', { action: 'opened' })).toEqual({ handled: true });
    expect(classifyEvent('pull_request', { action: 'labeled' })).toEqual({ handled: false, reason: 'pull_request.labeled is not used' });
    expect(classifyEvent('pull_request', { action: 5 })).toEqual({ handled: false, reason: 'event "pull_request" has no action' });
    expect(classifyEvent('pull_request', null)).toEqual({ handled: false, reason: 'event "pull_request" has no action' });
    expect(classifyEvent('star', { action: 'created' })).toEqual({ handled: false, reason: 'event "star" is not used' });
  });

  it('does not mistake an event named like a built-in property for a handled one (it threw before)', () => {
    for (const event of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(classifyEvent(event, { action: 'created' })).toEqual({ handled: false, reason: `event "${event}" is not used` });
    }
  });
});
