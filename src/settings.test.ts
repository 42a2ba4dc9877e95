import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from './settings';

describe('LOG_LEVEL', () => {
  it('is read as the functions read it: any case, info when unset', () => {
    expect(loadSettings({}).logLevel).toBe('info');
    expect(loadSettings({ LOG_LEVEL: '' }).logLevel).toBe('info');
    expect(loadSettings({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(loadSettings({ LOG_LEVEL: ' warn ' }).logLevel).toBe('warn');
    expect(loadSettings({ LOG_LEVEL: 'error' }).logLevel).toBe('error');
  });

  it('refuses an unknown level with a message naming the allowed ones', () => {
    expect(() => loadSettings({ LOG_LEVEL: 'loud' })).toThrow(SettingsError);
    expect(() => loadSettings({ LOG_LEVEL: 'toString' })).toThrow('LOG_LEVEL must be debug, info, warn or error, got "toString"');
  });
});

describe('GITHUB_RATE_LIMIT_RESERVE', () => {
  it('keeps 500 requests of the hour by default, or the number given (0: never defer)', () => {
    expect(loadSettings({}).githubRateLimitReserve).toBe(500);
    expect(loadSettings({ GITHUB_RATE_LIMIT_RESERVE: ' 1200 ' }).githubRateLimitReserve).toBe(1200);
    expect(loadSettings({ GITHUB_RATE_LIMIT_RESERVE: '0' }).githubRateLimitReserve).toBe(0);
  });

  it('refuses anything but a whole number, naming the variable', () => {
    expect(() => loadSettings({ GITHUB_RATE_LIMIT_RESERVE: '10%' })).toThrow(SettingsError);
    expect(() => loadSettings({ GITHUB_RATE_LIMIT_RESERVE: '-1' })).toThrow('GITHUB_RATE_LIMIT_RESERVE must be a whole number of requests (0 or more), got "-1"');
  });
});
