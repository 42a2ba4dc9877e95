/** Test results as the JUnit reader produces them, for unit tests of what reads them. */
import type { Counts, TestCaseResult } from '../../src/core/test-results';

export const counts = (passed: number, failed = 0, errored = 0, skipped = 0): Counts => ({
  passed,
  failed,
  errored,
  skipped,
  total: passed + failed + errored + skipped,
});

/** A passing test case named `name` in suite "suite", changed by `overrides`. */
export function testCase(overrides: Partial<TestCaseResult> & { name: string }): TestCaseResult {
  return {
    id: `suite::${overrides.name}`,
    classname: null,
    suite: 'suite',
    file: null,
    line: null,
    outcome: 'passed',
    message: null,
    details: null,
    durationSeconds: null,
    ...overrides,
  };
}
