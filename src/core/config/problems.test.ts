import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse';
import { renderConfigProblems, type ConfigProblem } from './problems';
import { CONFIG_PATH } from './schema';

const ctx = { defaultBranch: 'main' };
const w = 'workflow: arm64-ci.yml\n';

describe('renderConfigProblems', () => {
  it('names the file, each field and line, for a failed check run', () => {
    const r = parseConfig(`${w}smoke_tests:\n  artifact: x\n  min_pass_rate: 2\n`, ctx);
    expect(r.ok).toBe(false);
    const out = renderConfigProblems((r as { problems: ConfigProblem[] }).problems);
    expect(out.title).toBe(`Invalid ${CONFIG_PATH}: 1 problem`);
    expect(out.summary).toContain('`.github/arm64-ci.yml`');
    expect(out.summary).toContain('- line 4, `smoke_tests.min_pass_rate`: must be between 0 and 1');
    expect(out.summary).toMatch(/default branch/);
  });

  it('handles problems without a line or a path', () => {
    const out = renderConfigProblems([
      { path: '', line: null, column: null, message: 'is empty' },
      { path: '', line: 3, column: 1, message: 'is not valid YAML: oops' },
      { path: 'workflow', line: null, column: null, message: 'is required' },
    ]);
    expect(out.title).toBe(`Invalid ${CONFIG_PATH}: 3 problems`);
    expect(out.summary).toContain('- the file: is empty');
    expect(out.summary).toContain('- line 3: is not valid YAML: oops');
    expect(out.summary).toContain('- `workflow`: is required');
  });

  it('lists at most 50 problems and counts the rest', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ path: `k${i}`, line: i + 1, column: 1, message: 'bad' }));
    const out = renderConfigProblems(many);
    expect(out.summary).toContain('`k49`');
    expect(out.summary).not.toContain('`k50`');
    expect(out.summary).toContain('…and 10 more');
  });

  it('keeps each problem on one list line', () => {
    const out = renderConfigProblems([{ path: 'a', line: 1, column: 1, message: 'two\nlines' }]);
    expect(out.summary).toContain('- line 1, `a`: two lines');
  });
});
