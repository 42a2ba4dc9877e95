import { describe, expect, it } from 'vitest';
import { renderBadgeSvg, shieldsEndpoint, smokeBadge, statusBadge } from './badge';

describe('statusBadge', () => {
  it('says no runs when there is none', () => {
    expect(statusBadge(null)).toEqual({ label: 'arm64', message: 'no runs', color: 'lightgrey' });
  });

  it.each(['success', 'neutral', 'skipped'])('says passing for %s', (conclusion) => {
    expect(statusBadge({ status: 'completed', conclusion })).toEqual({
      label: 'arm64',
      message: 'passing',
      color: 'brightgreen',
    });
  });

  it.each(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure', 'stale', null])(
    'says failing for %s',
    (conclusion) => {
      expect(statusBadge({ status: 'completed', conclusion })).toEqual({
        label: 'arm64',
        message: 'failing',
        color: 'red',
      });
    },
  );

  it.each(['queued', 'in_progress', 'requested', 'waiting', 'pending'])('says running while %s', (status) => {
    expect(statusBadge({ status, conclusion: null })).toEqual({ label: 'arm64', message: 'running', color: 'blue' });
  });
});

describe('smokeBadge', () => {
  it.each<[{ passed: number; total: number } | null, string, string]>([
    [null, 'no data', 'lightgrey'],
    [{ passed: 0, total: 0 }, 'no data', 'lightgrey'],
    [{ passed: 6, total: 6 }, '6/6 (100%)', 'brightgreen'],
    [{ passed: 5, total: 6 }, '5/6 (83%)', 'yellowgreen'],
    // Never 100% unless everything passed.
    [{ passed: 999, total: 1000 }, '999/1000 (99%)', 'green'],
    [{ passed: 9, total: 10 }, '9/10 (90%)', 'green'],
    [{ passed: 3, total: 4 }, '3/4 (75%)', 'yellowgreen'],
    [{ passed: 2, total: 3 }, '2/3 (66%)', 'yellow'],
    [{ passed: 1, total: 2 }, '1/2 (50%)', 'yellow'],
    [{ passed: 1, total: 3 }, '1/3 (33%)', 'orange'],
    // A single pass among many floors to 0% but is still not "all failed".
    [{ passed: 1, total: 1000 }, '1/1000 (0%)', 'orange'],
    [{ passed: 0, total: 7 }, '0/7 (0%)', 'red'],
  ])('%j → %s, %s', (counts, message, color) => {
    expect(smokeBadge(counts)).toEqual({ label: 'smoke tests', message, color });
  });

  it('clamps inconsistent counts rather than showing more than 100%', () => {
    expect(smokeBadge({ passed: 8, total: 6 }).message).toBe('6/6 (100%)');
    expect(smokeBadge({ passed: -1, total: 6 }).message).toBe('0/6 (0%)');
  });
});

describe('renderBadgeSvg', () => {
  it('renders an accessible flat SVG naming label and message', () => {
    const svg = renderBadgeSvg(statusBadge({ status: 'completed', conclusion: 'success' }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<title>arm64: passing</title>');
    expect(svg).toContain('aria-label="arm64: passing"');
    // brightgreen in badge-maker 6's palette.
    expect(svg).toContain('fill="#4b0"');
  });

  it('colours a failing badge red', () => {
    const svg = renderBadgeSvg(statusBadge({ status: 'completed', conclusion: 'failure' }));
    expect(svg).toContain('<title>arm64: failing</title>');
    expect(svg).toContain('fill="#dd4343"');
  });

  it.each<[string, string]>([
    ['brightgreen', '#4b0'],
    ['green', '#67ac09'],
    ['yellowgreen', '#95991a'],
    ['yellow', '#d8b800'],
    ['orange', '#ea7233'],
    ['red', '#dd4343'],
    ['blue', '#007ec6'],
    ['lightgrey', '#939393'],
  ])('knows every colour the badges use: %s', (color, hex) => {
    // An unknown name would silently render in a default colour.
    expect(renderBadgeSvg({ label: 'l', message: 'm', color })).toContain(`fill="${hex}"`);
  });

  it('escapes text for XML', () => {
    const svg = renderBadgeSvg({ label: 'a<b', message: 'x & y', color: 'blue' });
    expect(svg).toContain('<title>a&lt;b: x &amp; y</title>');
    expect(svg).not.toContain('a<b');
  });

  it('renders the smoke badge message', () => {
    expect(renderBadgeSvg(smokeBadge({ passed: 5, total: 6 }))).toContain('<title>smoke tests: 5/6 (83%)</title>');
  });
});

describe('shieldsEndpoint', () => {
  it('has exactly the keys shields.io accepts', () => {
    const json = shieldsEndpoint(smokeBadge({ passed: 5, total: 6 }));
    expect(json).toEqual({ schemaVersion: 1, label: 'smoke tests', message: '5/6 (83%)', color: 'yellowgreen' });
    expect(Object.keys(json).sort()).toEqual(['color', 'label', 'message', 'schemaVersion']);
  });
});
