import { describe, expect, it } from 'vitest';
import { advanceStanding, refTests, type RunTest } from './test-standing';
import { decodeCatalog, decodeRun, decodeStanding, durationCode, durationOfCode, encodeCatalog, encodeRun, encodeStanding, splitParts, joinParts } from './test-pack';

const t = (id: string, over: Partial<RunTest> = {}): RunTest => ({
  id: `suite::cls::${id}`,
  name: id,
  classname: 'cls',
  file: null,
  outcome: 'passed',
  code: 'P',
  flaky: false,
  durationSeconds: 1,
  ...over,
});

describe('packed tests', () => {
  it('round-trips a catalog, and the same tests give the same id', () => {
    const tests = [
      { id: 'a::cls::one', name: 'one', classname: 'cls', file: 'a.py' },
      { id: 'b::other::two #2', name: 'two', classname: 'x', file: null },
      { id: 'plain', name: 'plain name', classname: null, file: null },
    ];
    const c = encodeCatalog(tests);
    expect(decodeCatalog(c.bytes)).toEqual(tests);
    expect(encodeCatalog(tests.map((x) => ({ ...x }))).id).toBe(c.id);
    expect(encodeCatalog(tests.slice(1)).id).not.toBe(c.id);
  });

  it('keeps durations within 0.1 %, and unknown times unknown', () => {
    for (const s of [0, 0.001]) expect(durationOfCode(durationCode(s))!).toBeCloseTo(s, 3);
    for (const s of [0.25, 1.5, 42, 3600, 86_400]) expect(Math.abs(durationOfCode(durationCode(s))! / s - 1)).toBeLessThan(0.0006);
    const run = { codes: 'PF-X', durations: [1.5, null, null, 0.2] };
    const back = decodeRun(encodeRun(run));
    expect(back.codes).toBe('PF-X');
    expect(back.durations[1]).toBeNull();
    expect(back.durations[0]).toBeCloseTo(1.5, 1);
  });

  it('packs 5,000 tests into a few kilobytes per run', () => {
    const run = { codes: 'P'.repeat(4990) + 'F'.repeat(10), durations: Array.from({ length: 5000 }, (_, i) => (i % 97) / 10) };
    expect(encodeRun(run).length).toBeLessThan(12_000);
    const standing = Array.from({ length: 5000 }, () => ({ recent: 'P'.repeat(20), last: 0, flaky: null }));
    expect(encodeStanding(standing).length).toBeLessThan(2_000);
    expect(decodeStanding(encodeStanding(standing))).toEqual(standing);
  });

  it('splits bytes into parts and joins them back', () => {
    const bytes = new Uint8Array(25).map((_, i) => i);
    const parts = splitParts(bytes, 10);
    expect(parts.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(joinParts(parts)).toEqual(bytes);
  });
});

describe('a ref’s standing', () => {
  const run = (n: number) => ({ run: `R${n}#001`, sha: `sha${n}`, at: `2026-01-0${n}T00:00:00.000Z` });

  it('adds each run’s codes newest first, marks changes and flaky runs, and orders by last run', () => {
    const first = advanceStanding(null, run(1), [t('a'), t('b', { outcome: 'failed', code: 'F' })]);
    expect(first.changed.size).toBe(0);
    expect(first.packed.codes).toBe('PF');
    const second = advanceStanding(first, run(2), [t('b', { flaky: true }), t('c')]);
    expect(second.catalog.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(second.packed.codes).toBe('-PP');
    expect([...second.changed]).toEqual(['suite::cls::b']);
    const listed = refTests({ item: { runs: second.runs } as never, catalog: second.catalog, tests: second.tests });
    expect(listed.map((x) => [x.name, x.recent, x.lastSha])).toEqual([
      ['b', 'pF', 'sha2'],
      ['c', 'P', 'sha2'],
      ['a', 'P', 'sha1'],
    ]);
    expect(listed[0]).toMatchObject({ flaky: true, passRate: 0.5, runs: 2, lastFlakySha: 'sha2', lastOutcome: 'passed' });
  });

  it('counts a retried run once, and drops a test not seen within the window', () => {
    const a = advanceStanding(null, run(1), [t('a'), t('b')], 2);
    const again = advanceStanding(a, run(1), [t('a'), t('b')], 2);
    expect(again.repeated).toBe(true);
    expect(again.tests.map((x) => x.recent)).toEqual(['P', 'P']);
    const b = advanceStanding(a, run(2), [t('a')], 2);
    expect(b.catalog).toHaveLength(2);
    const c = advanceStanding(b, run(3), [t('a')], 2);
    expect(c.catalog.map((x) => x.name)).toEqual(['a']);
  });
});
