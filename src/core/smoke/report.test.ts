import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJUnit } from '../junit';
import { unreadArtifact } from './artifact';
import { smokeReport } from './report';
import { combine } from './verdict';

const pytest = readFileSync(new URL('../../../test/fixtures/junit/pytest.xml', import.meta.url), 'utf8');
const allPassing = pytest.replace(/<failure[\s\S]*?<\/failure>/, '');

describe('smokeReport', () => {
  it('says why there is no data, keeping the notes', () => {
    expect(smokeReport(null)).toMatchObject({ state: 'missing', counts: null, notes: [] });
    expect(smokeReport(null, { notes: ['The artifact "smoke" has expired.', ' '] })).toMatchObject({
      state: 'unreadable',
      notes: ['The artifact "smoke" has expired.'],
    });
    expect(smokeReport(combine([])).state).toBe('no-files');
    const broken = smokeReport(combine([parseJUnit('results.xml', '<testsuite>')]));
    expect(broken.state).toBe('no-readable-file');
    expect(broken.problems.items[0]).toMatchObject({ fileName: 'results.xml' });
    expect(broken.problems.items[0]!.error).toContain('not well-formed XML');
    const over = smokeReport(unreadArtifact('The artifact "smoke" is 120 MiB, over the 100 MiB limit.'));
    expect(over).toMatchObject({ state: 'over-limit', notes: ['The artifact "smoke" is 120 MiB, over the 100 MiB limit.'] });
  });

  it('keeps a row per file, the totals, failing tests with their first message line, and unreadable files', () => {
    const r = smokeReport(
      combine([
        parseJUnit('results-py3.10.xml', pytest),
        parseJUnit('results-py3.11.xml', allPassing),
        parseJUnit('results-py3.12.xml', '<!DOCTYPE lolz [<!ENTITY lol "lol">]><testsuite/>'),
      ]),
    );
    expect(r.state).toBe('read');
    expect(r.counts).toEqual({ passed: 11, failed: 1, errored: 0, skipped: 0, total: 12 });
    expect(r.files).toEqual([
      { name: 'results-py3.10.xml', counts: { passed: 5, failed: 1, errored: 0, skipped: 0, total: 6 } },
      { name: 'results-py3.11.xml', counts: { passed: 6, failed: 0, errored: 0, skipped: 0, total: 6 } },
    ]);
    expect(r.failing).toEqual({
      total: 1,
      items: [
        {
          name: 'tests.test_arm64_basic › test_basic_api_availability',
          outcome: 'failed',
          message: "AssertionError: ipfs_kit_py has no attribute 'IPFSSimpleAPI'",
          file: 'results-py3.10.xml',
        },
      ],
    });
    expect(r.problems.total).toBe(1);
    expect(r.problems.items[0]!.error).toContain('entity declarations are not allowed');
    expect(r.base).toBeNull();
  });

  it('lists as many as the summary does, with the full lengths; base differences and flaky tests', () => {
    const many = Array.from({ length: 40 }, (_, i) => `<testcase name="t${i}"><failure message="boom ${i}&#10;second line"/></testcase>`).join('');
    const smoke = combine([parseJUnit('r.xml', `<testsuite name="s">${many}<testcase name="ok"/></testsuite>`)]);
    const first = smoke.files[0]!.tests[0]!;
    const ok = smoke.files[0]!.tests[40]!;
    const r = smokeReport(smoke, {
      baseDiff: { newlyFailing: [first], newlyPassing: [ok] },
      baseLabel: 'main at abc1234',
      flaky: [{ testId: 'x', name: 'test_package_import', passed: 1, failed: 2 }],
      maxListed: 10,
    });
    expect(r.failing.total).toBe(40);
    expect(r.failing.items).toHaveLength(10);
    expect(r.failing.items[3]).toEqual({ name: 't3', outcome: 'failed', message: 'boom 3', file: 'r.xml' });
    expect(r.base).toEqual({
      label: 'main at abc1234',
      newlyFailing: { total: 1, items: [{ name: 't0', outcome: 'failed', message: 'boom 0', file: null }] },
      newlyPassing: { total: 1, items: ['ok'] },
    });
    expect(r.flaky).toEqual({ total: 1, items: [{ name: 'test_package_import', passed: 1, failed: 2 }] });
  });

  it('keeps each name and message on one line and clipped, so the stored item stays small', () => {
    const long = 'n'.repeat(1000);
    const smoke = combine([
      parseJUnit('r.xml', `<testsuite><testcase name="${long}&#10;# heading"><error message="${'m'.repeat(1000)}"/></testcase></testsuite>`),
    ]);
    const t = smokeReport(smoke).failing.items[0]!;
    expect(t.outcome).toBe('errored');
    expect(t.name).not.toContain('\n');
    expect(t.name.length).toBeLessThanOrEqual(300);
    expect(t.message!.length).toBeLessThanOrEqual(200);
    expect(t.message!.endsWith('…')).toBe(true);
  });
});
