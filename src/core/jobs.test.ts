import { describe, expect, it } from 'vitest';
import { durationSeconds, formatDuration, parseJobName } from './jobs';

describe('parseJobName', () => {
  it.each<[string, string, string[]]>([
    ['test (3.10, ubuntu-22.04)', 'test', ['3.10', 'ubuntu-22.04']],
    ['build', 'build', []],
    ['test (3.11)', 'test', ['3.11']],
    ['Smoke tests (arm64)', 'Smoke tests', ['arm64']],
    // Parentheses and commas inside a value stay in that value.
    ['build (linux (arm64), 3.10)', 'build', ['linux (arm64)', '3.10']],
    ['test ([a, b], x)', 'test', ['[a, b]', 'x']],
    ['test ({os: linux, arch: arm64})', 'test', ['{os: linux, arch: arm64}']],
    // A reusable workflow's job keeps the caller prefix in its base name.
    ['call-ci / test (3.9)', 'call-ci / test', ['3.9']],
    ['  padded (1)  ', 'padded', ['1']],
    ['test (, x)', 'test', ['', 'x']],
    ['test ()', 'test', []],
    ['build (linux) (arm64)', 'build (linux)', ['arm64']],
  ])('%j → %j %j', (name, base, matrix) => {
    expect(parseJobName(name)).toEqual({ base, matrix });
  });

  it.each(['(3.10, x)', 'test (3.10', 'test 3.10)', 'test [3.10)', 'odd) (name', ''])(
    'leaves %j whole when it is not a matrix name',
    (name) => {
      expect(parseJobName(name)).toEqual({ base: name.trim(), matrix: [] });
    },
  );
});

describe('durationSeconds', () => {
  it('measures whole seconds between ISO timestamps', () => {
    expect(durationSeconds('2024-05-01T10:00:00Z', '2024-05-01T10:01:05Z')).toBe(65);
    expect(durationSeconds('2024-05-01T10:00:00Z', '2024-05-01T10:00:00Z')).toBe(0);
    expect(durationSeconds('2024-05-01T10:00:00.000Z', '2024-05-01T10:00:01.600Z')).toBe(2);
    expect(durationSeconds('2024-05-01T12:00:00+02:00', '2024-05-01T10:30:00Z')).toBe(1800);
    // GitHub's whole-second started_at just "before" our millisecond dispatch time: no wait, not unknown.
    expect(durationSeconds('2024-05-01T10:00:00.700Z', '2024-05-01T10:00:00Z')).toBe(0);
  });

  it.each<[string | null, string | null]>([
    [null, '2024-05-01T10:00:00Z'],
    ['2024-05-01T10:00:00Z', null],
    ['', '2024-05-01T10:00:00Z'],
    ['not a date', '2024-05-01T10:00:00Z'],
    ['2024-05-01T10:00:10Z', '2024-05-01T10:00:00Z'],
  ])('is null for %j → %j', (start, end) => {
    expect(durationSeconds(start, end)).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each<[number | null, string]>([
    [null, '—'],
    [-1, '—'],
    [Number.NaN, '—'],
    [0, '0s'],
    [45, '45s'],
    [59.9, '59s'],
    [60, '1m 00s'],
    [65, '1m 05s'],
    [3599, '59m 59s'],
    [3600, '1h 00m'],
    [7380, '2h 03m'],
    [7410, '2h 03m'],
    [90000, '25h 00m'],
  ])('%s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
