import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { parseConfig } from './config/parse';
import type { RepoConfig } from './config/schema';
import { MAX_INPUT_VALUE_LENGTH, RESERVED_INPUTS, dispatchIdFromTitle, dispatchInputs, validateOverrides } from './dispatch-inputs';

function config(extra = ''): RepoConfig {
  const r = parseConfig(`workflow: arm64-ci.yml\n${extra}`, { defaultBranch: 'main' });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
const ID = '01JD5XQ7ZT3M9K4B6N8P2R5V7W';

describe('dispatchInputs', () => {
  it('sends the four reserved inputs as strings', () => {
    const inputs = dispatchInputs({ sha: SHA, pr: 12, dispatchId: ID, config: config('runner_labels: [self-hosted, arm64, dgx]\n') });
    expect(inputs).toEqual({
      sha: SHA,
      pr: '12',
      runner_labels: '["self-hosted","arm64","dgx"]',
      dispatch_id: ID,
    });
    // The workflow reads it back with fromJSON(inputs.runner_labels).
    expect(JSON.parse(inputs.runner_labels!)).toEqual(['self-hosted', 'arm64', 'dgx']);
  });

  it('sends an empty pr for a push', () => {
    expect(dispatchInputs({ sha: SHA, pr: null, dispatchId: ID, config: config() }).pr).toBe('');
  });

  it('adds the config inputs, and overrides replace them', () => {
    const c = config(`inputs:\n  python-versions: '["3.10"]'\n  extra: x\n`);
    expect(dispatchInputs({ sha: SHA, pr: null, dispatchId: ID, config: c })).toMatchObject({
      'python-versions': '["3.10"]',
      extra: 'x',
    });
    const over = dispatchInputs({ sha: SHA, pr: null, dispatchId: ID, config: c, overrides: { extra: 'y' } });
    expect(over.extra).toBe('y');
    expect(over['python-versions']).toBe('["3.10"]');
  });

  it('never lets an override replace a reserved input', () => {
    const inputs = dispatchInputs({
      sha: SHA,
      pr: 5,
      dispatchId: ID,
      config: config(),
      overrides: { sha: 'evil', pr: '1', runner_labels: '["ubuntu-latest"]', dispatch_id: 'x' },
    });
    expect(inputs).toEqual({ sha: SHA, pr: '5', runner_labels: '["self-hosted","arm64"]', dispatch_id: ID });
  });

  it('stays within GitHub’s 25 inputs at the config maximum', () => {
    const many = Array.from({ length: 21 }, (_, i) => `  in${i}: v`).join('\n');
    const inputs = dispatchInputs({ sha: SHA, pr: null, dispatchId: ID, config: config(`inputs:\n${many}\n`) });
    expect(Object.keys(inputs)).toHaveLength(25);
    expect(Object.values(inputs).every((v) => typeof v === 'string')).toBe(true);
  });
});

describe('validateOverrides', () => {
  const c = config(`inputs:\n  python-versions: '["3.10"]'\n`);
  it('accepts declared inputs and no overrides at all', () => {
    expect(validateOverrides({ 'python-versions': '["3.11"]' }, c)).toEqual({ ok: true });
    expect(validateOverrides({}, c)).toEqual({ ok: true });
  });
  it('lists undeclared and reserved names', () => {
    expect(validateOverrides({ 'python-versions': 'x', foo: '1', sha: 'abc' }, c)).toEqual({
      ok: false,
      kind: 'unknown',
      unknown: ['foo', 'sha'],
    });
  });
  it('does not treat inherited object properties as declared', () => {
    expect(validateOverrides({ toString: 'x', constructor: 'y' }, c)).toEqual({
      ok: false,
      kind: 'unknown',
      unknown: ['toString', 'constructor'],
    });
  });

  it('accepts a value of up to MAX_INPUT_VALUE_LENGTH characters, counted as characters not UTF-16 units', () => {
    expect(validateOverrides({ 'python-versions': 'x'.repeat(MAX_INPUT_VALUE_LENGTH) }, c)).toEqual({ ok: true });
    expect(validateOverrides({ 'python-versions': '😀'.repeat(MAX_INPUT_VALUE_LENGTH) }, c)).toEqual({ ok: true });
  });

  it('refuses a longer value, naming the key and the limit but not repeating the value', () => {
    const v = validateOverrides({ 'python-versions': 'y'.repeat(MAX_INPUT_VALUE_LENGTH + 1) }, c);
    expect(v).toEqual({
      ok: false,
      kind: 'value',
      key: 'python-versions',
      problem: 'is 1,025 characters long; at most 1,024 are accepted',
    });
  });

  it('keeps quotes, brackets, backslashes, emoji and joiners', () => {
    for (const value of ['["3.10"]', 'a"b', "it's", 'C:\\temp', '{"a": [1, 2]}', '👩‍💻', 'نمی‌خواهم', 'a b'])
      expect(validateOverrides({ 'python-versions': value }, c), value).toEqual({ ok: true });
  });

  it.each<[string, string, string]>([
    ['a tab', 'a\tb', 'U+0009, character 2'],
    ['NUL', '\u0000', 'U+0000, character 1'],
    ['an escape sequence', 'x\u001b[31m', 'U+001B, character 2'],
    ['DEL', 'x\u007f', 'U+007F, character 2'],
    ['a C1 control', '\u0085', 'U+0085, character 1'],
    ['a right-to-left override', '["3.10\u202e"]', 'U+202E, character 7'],
    ['a zero-width space', '3.1\u200b0', 'U+200B, character 4'],
    ['a tag character', 'ok\u{E0041}', 'U+E0041, character 3'],
    ['an unpaired surrogate', 'a\udc00', 'U+DC00, character 2'],
  ])('refuses %s, naming the key, the code point and where it is', (_name, value, where) => {
    const v = validateOverrides({ 'python-versions': value }, c);
    expect(v).toMatchObject({ ok: false, kind: 'value', key: 'python-versions' });
    expect(!v.ok && v.kind === 'value' && v.problem).toContain(where);
    expect(!v.ok && v.kind === 'value' && v.problem).toContain('visible text on one line');
  });

  it('reports undeclared keys before bad values', () => {
    expect(validateOverrides({ 'python-versions': '\t', nope: 'x' }, c)).toMatchObject({ kind: 'unknown', unknown: ['nope'] });
  });
});

describe('RESERVED_INPUTS', () => {
  it('are the four inputs the README’s workflow declares', () => {
    expect([...RESERVED_INPUTS]).toEqual(['sha', 'pr', 'runner_labels', 'dispatch_id']);
  });
});

describe('dispatchIdFromTitle', () => {
  it('finds the id in the documented run-name', () => {
    expect(dispatchIdFromTitle(`arm64 CI ${ID} (3f78685)`)).toBe(ID);
  });

  it('finds ids made by the ulid library', () => {
    const id = ulid();
    expect(dispatchIdFromTitle(`arm64 CI ${id} (abc1234)`)).toBe(id);
    expect(dispatchIdFromTitle(id)).toBe(id);
  });

  it('finds the id next to punctuation', () => {
    expect(dispatchIdFromTitle(`[${ID}]`)).toBe(ID);
    expect(dispatchIdFromTitle(`arm64 CI #${ID}: fix`)).toBe(ID);
  });

  it.each<[string, string | null | undefined]>([
    ['null', null],
    ['undefined', undefined],
    ['empty', ''],
    ['a title without an id', 'Fix the build on Graviton'],
    ['a 25-character token', `arm64 CI ${ID.slice(1)}`],
    ['part of a longer token', `arm64 CI ${ID}X`],
    ['prefixed by a letter', `arm64 CI x${ID}`],
    ['a lowercase id', `arm64 CI ${ID.toLowerCase()}`],
    ['letters outside Crockford base32 (I, L, O, U)', 'arm64 CI 01JD5XQ7ZT3M9K4B6N8P2R5VIL'],
    ['a first character above 7 (a timestamp overflow)', 'arm64 CI 81JD5XQ7ZT3M9K4B6N8P2R5V7W'],
    ['a 40-character uppercase hex hash', `arm64 CI ${SHA.toUpperCase()}`],
  ])('returns null for %s', (_, title) => {
    expect(dispatchIdFromTitle(title)).toBeNull();
  });
});
