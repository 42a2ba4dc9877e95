import { describe, expect, it } from 'vitest';
import { ago, noteSegments, percent, runSeconds, safeHref, smokeText, statusOf, triggerText, utc } from './format';

const now = new Date('2026-11-25T12:00:00Z');

describe('dashboard wording', () => {
  it('names a run’s standing the way the check run does', () => {
    expect(statusOf('completed', 'success')).toEqual({ word: 'passed', tone: 'ok' });
    expect(statusOf('completed', 'failure')).toEqual({ word: 'failed', tone: 'bad' });
    expect(statusOf('completed', 'timed_out')).toEqual({ word: 'timed out', tone: 'bad' });
    expect(statusOf('in_progress', null)).toEqual({ word: 'running', tone: 'running' });
    expect(statusOf('dispatched', null)).toEqual({ word: 'queued', tone: 'waiting' });
    expect(statusOf('awaiting_approval', 'action_required')).toEqual({ word: 'awaiting /ok-to-test', tone: 'waiting' });
    // Job statuses share the words.
    expect(statusOf('queued', null).word).toBe('queued');
    expect(statusOf('waiting', null).word).toBe('queued');
  });

  it('says who triggered a run', () => {
    expect(triggerText('pull_request', 'octocat')).toBe('pull request by octocat');
    expect(triggerText('push', null)).toBe('push');
    expect(triggerText('command', 'maintainer')).toBe('comment command by maintainer');
    expect(triggerText('merge_group', null)).toBe('merge queue');
  });

  it('tells times relative to now and absolutely', () => {
    expect(ago('2026-11-25T11:59:58Z', now)).toBe('just now');
    expect(ago('2026-11-25T11:59:30Z', now)).toBe('30s ago');
    expect(ago('2026-11-25T11:55:00Z', now)).toBe('5 min ago');
    expect(ago('2026-11-25T09:00:00Z', now)).toBe('3 h ago');
    expect(ago('2026-11-20T12:00:00Z', now)).toBe('5 days ago');
    expect(ago(null, now)).toBe('—');
    expect(utc('2026-11-25T09:03:04.123Z')).toBe('2026-11-25 09:03 UTC');
  });

  it('measures a finished run, and a running one up to now', () => {
    expect(runSeconds('2026-11-25T11:58:00Z', '2026-11-25T11:59:05Z', now)).toBe(65);
    expect(runSeconds('2026-11-25T11:58:00Z', null, now)).toBe(120);
    expect(runSeconds(null, null, now)).toBeNull();
  });

  it('counts smoke tests as the badge does (skips excluded) and rounds rates down', () => {
    expect(smokeText({ passed: 5, total: 7, skipped: 1 })).toBe('5/6');
    expect(smokeText({ passed: 0, total: 2, skipped: 2 })).toBe('no tests');
    expect(smokeText(null)).toBe('—');
    expect(percent(5 / 6)).toBe('83%');
    expect(percent(null)).toBe('—');
  });

  it('links only to absolute http(s) URLs', () => {
    expect(safeHref('https://github.com/o/r/actions/runs/1')).toBe('https://github.com/o/r/actions/runs/1');
    expect(safeHref('HTTPS://example.com/x')).toBe('HTTPS://example.com/x');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,hi')).toBeNull();
    expect(safeHref('//evil.example/x')).toBeNull();
    expect(safeHref('https://a b')).toBeNull();
    expect(safeHref(null)).toBeNull();
  });
});

describe('noteSegments', () => {
  const held =
    'Waiting for /ok-to-test: the pull request comes from a fork by outsider, who is not trusted. Someone with write permission on the repository can comment `/ok-to-test` (or `/ok-to-test <sha>`) once this check run shows the commit waiting.';

  it('shows a held run’s reason once: the pill already says it awaits /ok-to-test', () => {
    const segs = noteSegments(held, { held: true });
    expect(segs[0]).toEqual({ text: 'The pull request comes from a fork by outsider, who is not trusted. Someone with write permission on the repository can comment ' });
    expect(segs.map((s) => ('text' in s ? s.text : '')).join('')).not.toMatch(/waiting for \/ok-to-test/i);
  });

  it('keeps the prefix on a run that is no longer held', () => {
    expect(noteSegments(held, { held: false })[0]).toEqual({ text: 'Waiting for /ok-to-test: the pull request comes from a fork by outsider, who is not trusted. Someone with write permission on the repository can comment ' });
  });

  it('turns Markdown code spans into code, never literal backticks', () => {
    const segs = noteSegments(held, { held: true });
    expect(segs.filter((s) => 'code' in s)).toEqual([{ code: '/ok-to-test' }, { code: '/ok-to-test <sha>' }]);
    expect(segs.some((s) => 'text' in s && s.text.includes('`'))).toBe(false);
  });

  it('leaves an unmatched backtick as text', () => {
    expect(noteSegments('a ` b', { held: false })).toEqual([{ text: 'a ` b' }]);
  });

  it('links the dispatch id of the approved run and of a re-run’s source', () => {
    const id = '01JDQ8Z9X3V7K2M4N6P8R0T2W4';
    expect(noteSegments(`Approved by @maint with /ok-to-test: commit abc1234 runs in a new check run (dispatch ${id}).`, { held: false })).toEqual([
      { text: 'Approved by @maint with /ok-to-test: commit abc1234 runs in a new check run (dispatch ' },
      { run: id },
      { text: ').' },
    ]);
    expect(noteSegments(`Re-run of dispatch ${id}, requested by @octocat (check run button).`, { held: false })).toEqual([
      { text: 'Re-run of dispatch ' },
      { run: id },
      { text: ', requested by @octocat (check run button).' },
    ]);
    // Not an id: too short, or lower case.
    expect(noteSegments('dispatch 01ABC', { held: false })).toEqual([{ text: 'dispatch 01ABC' }]);
  });
});
