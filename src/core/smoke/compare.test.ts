import { describe, expect, it } from 'vitest';
import { counts, testCase } from '../../../test/support/test-results';
import { compareWithBase, findFlaky, rollingRate } from './compare';

describe('compareWithBase', () => {
  const current = [
    testCase({ name: 'a', outcome: 'failed' }),
    testCase({ name: 'b', outcome: 'passed' }),
    testCase({ name: 'c', outcome: 'errored' }),
    testCase({ name: 'd', outcome: 'failed' }),
    testCase({ name: 'new', outcome: 'failed' }),
  ];

  it('finds tests that newly fail (including new tests) and newly pass', () => {
    const diff = compareWithBase(current, [
      { id: 'suite::a', outcome: 'passed' },
      { id: 'suite::b', outcome: 'failed' },
      { id: 'suite::c', outcome: 'skipped' },
      { id: 'suite::d', outcome: 'errored' },
    ]);
    expect(diff.newlyFailing.map((t) => t.name)).toEqual(['a', 'c', 'new']);
    expect(diff.newlyPassing.map((t) => t.name)).toEqual(['b']);
  });

  it('treats a test failing on any matrix entry as failing', () => {
    const matrix = [testCase({ name: 'x', outcome: 'passed' }), testCase({ name: 'x', outcome: 'failed', message: 'py3.11' })];
    const diff = compareWithBase(matrix, [{ id: 'suite::x', outcome: 'failed' }]);
    expect(diff).toEqual({ newlyFailing: [], newlyPassing: [] });
    const fromGreen = compareWithBase(matrix, [{ id: 'suite::x', outcome: 'passed' }]);
    expect(fromGreen.newlyFailing.map((t) => t.message)).toEqual(['py3.11']);
  });

  it('compares nothing without a base', () => {
    expect(compareWithBase(current, null)).toEqual({ newlyFailing: [], newlyPassing: [] });
  });
});

describe('findFlaky', () => {
  it('finds a test that failed on one attempt and passed on the re-run', () => {
    const flaky = findFlaky([
      { testId: 't1', name: 'test_package_import', outcome: 'failed', source: 'attempt 1 · results-py3.10.xml' },
      { testId: 't2', name: 'test_python_version', outcome: 'passed', source: 'attempt 1 · results-py3.10.xml' },
      { testId: 't3', name: 'test_basic_api_availability', outcome: 'failed', source: 'attempt 1 · results-py3.10.xml' },
      { testId: 't1', name: 'test_package_import', outcome: 'passed', source: 'attempt 2 · results-py3.10.xml' },
      { testId: 't2', name: 'test_python_version', outcome: 'passed', source: 'attempt 2 · results-py3.10.xml' },
      { testId: 't3', name: 'test_basic_api_availability', outcome: 'errored', source: 'attempt 2 · results-py3.10.xml' },
    ]);
    expect(flaky).toEqual([{ testId: 't1', name: 'test_package_import', passed: 1, failed: 1 }]);
  });

  it('counts errored as failed, ignores skipped, and does not count one source twice', () => {
    const flaky = findFlaky([
      { testId: 'a', name: 'a', outcome: 'errored', source: 'attempt 1' },
      { testId: 'a', name: 'a', outcome: 'skipped', source: 'attempt 2' },
      { testId: 'a', name: 'a', outcome: 'passed', source: 'attempt 3' },
      { testId: 'a', name: 'a', outcome: 'passed', source: 'attempt 3' },
      { testId: 'b', name: 'b', outcome: 'skipped', source: 'attempt 1' },
      { testId: 'b', name: 'b', outcome: 'passed', source: 'attempt 2' },
    ]);
    expect(flaky).toEqual([{ testId: 'a', name: 'a', passed: 1, failed: 1 }]);
  });
});

describe('rollingRate', () => {
  it('uses the newest runs only', () => {
    const runs = [counts(6), ...Array.from({ length: 25 }, () => counts(0, 6))];
    expect(rollingRate(runs, 1)).toEqual({ rate: 1, runs: 1 });
    expect(rollingRate(runs)).toEqual({ rate: 6 / 120, runs: 20 });
    expect(rollingRate(runs.slice(0, 3))).toEqual({ rate: 6 / 18, runs: 3 });
  });

  it('has no rate without runs or when nothing ran', () => {
    expect(rollingRate([])).toEqual({ rate: null, runs: 0 });
    expect(rollingRate([counts(0, 0, 0, 3)])).toEqual({ rate: null, runs: 1 });
  });
});
