import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { parseConfig, type RepoConfig } from './config';
import { RESERVED_INPUTS, dispatchIdFromTitle, dispatchInputs, validateOverrides } from './dispatch-inputs';

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
      unknown: ['foo', 'sha'],
    });
  });
  it('does not treat inherited object properties as declared', () => {
    expect(validateOverrides({ toString: 'x', constructor: 'y' }, c)).toEqual({
      ok: false,
      unknown: ['toString', 'constructor'],
    });
  });
});

describe('RESERVED_INPUTS', () => {
  it('are the four inputs of the contract', () => {
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
