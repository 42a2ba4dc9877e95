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
