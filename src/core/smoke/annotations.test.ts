import { describe, expect, it } from 'vitest';
import { testCase } from '../../../test/support/test-results';
import { chunk } from '../chunk';
import { selectAnnotations } from './annotations';

describe('selectAnnotations and chunk', () => {
  it('turns 120 failures into 3 batches of at most 50', () => {
    const tests = Array.from({ length: 150 }, (_, i) =>
      testCase({ name: `t${i}`, outcome: i < 120 ? (i % 2 ? 'failed' : 'errored') : 'passed', message: `m${i}` }),
    );
    const annotations = selectAnnotations(tests, { max: 1000, workflowPath: '.github/workflows/arm64-ci.yml' });
    expect(annotations).toHaveLength(120);
    const batches = chunk(annotations, 50);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(selectAnnotations(tests, { max: 30, workflowPath: 'w.yml' })).toHaveLength(30);
  });

  it('points at the test file and line when known, otherwise at the workflow file', () => {
    const [py, java, absolute, runner] = selectAnnotations(
      [
        testCase({ name: 'test_basic_api_availability', classname: 'tests.test_arm64_basic', outcome: 'failed', file: 'tests/test_arm64_basic.py', line: 55, message: 'AssertionError', details: 'trace' }),
        testCase({ name: 'readsConfig', classname: 'com.example.FooTest', outcome: 'errored', message: 'config.yml missing' }),
        testCase({ name: 'abs', outcome: 'failed', file: '/tmp/build/x.test.ts', line: 3 }),
        testCase({ name: 'runner', outcome: 'failed', file: '/home/runner/_work/calc/calc/src/calc.test.js', line: 0 }),
        testCase({ name: 'fine', outcome: 'passed', file: 'ok.py', line: 1 }),
      ],
      { max: 50, workflowPath: '.github/workflows/arm64-ci.yml' },
    );
    expect(py).toEqual({
      path: 'tests/test_arm64_basic.py',
      start_line: 55,
      end_line: 55,
      annotation_level: 'failure',
      title: 'Failed: tests.test_arm64_basic › test_basic_api_availability',
      message: 'AssertionError\n\ntrace',
    });
    expect(java).toMatchObject({
      path: '.github/workflows/arm64-ci.yml',
      start_line: 1,
      title: 'Error: com.example.FooTest › readsConfig',
      message: 'config.yml missing',
    });
    expect(absolute).toMatchObject({ path: '.github/workflows/arm64-ci.yml', start_line: 1, message: 'The test failed.\n(reported in /tmp/build/x.test.ts)' });
    expect(runner).toMatchObject({ path: 'src/calc.test.js', start_line: 1 });
  });

  it('annotates a test once even when several matrix files report it failing', () => {
    const failing = testCase({ name: 'test_api', outcome: 'failed', file: 'tests/t.py', line: 9, message: 'boom' });
    const annotations = selectAnnotations([failing, testCase({ name: 'ok' }), { ...failing, message: 'boom on 3.11' }], {
      max: 50,
      workflowPath: 'w.yml',
    });
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatchObject({ path: 'tests/t.py', start_line: 9, message: 'boom\n(failed in 2 result files)' });
  });

  it('keeps titles within 255 characters and messages within 64 KB', () => {
    const [a] = selectAnnotations(
      [testCase({ name: 'n'.repeat(1000), outcome: 'failed', message: '€'.repeat(40_000), details: 'd'.repeat(40_000) })],
      { max: 1, workflowPath: 'w.yml' },
    );
    expect(a?.title.length).toBeLessThanOrEqual(255);
    expect(new TextEncoder().encode(a?.message).length).toBeLessThanOrEqual(64 * 1024);
    expect(a?.message).toMatch(/trimmed\)$/);
  });

  it('chunks into batches and refuses a nonsense size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 50)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});
