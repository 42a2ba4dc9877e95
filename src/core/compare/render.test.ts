import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from '../text';
import { fitSection } from './fit';
import { renderComparison } from './render';
import { compareRuns, type Leg } from './runs';
import type { TimedTest } from './tests';

const t = (id: string, outcome: TimedTest['outcome'], durationSeconds: number | null, name = id): TimedTest => ({ id, name, outcome, durationSeconds });
const labels = { target: 'dgx', baseline: 'x86' };

function sample(n = 3, armFailures = 0) {
  const arm: TimedTest[] = [t('simd', 'failed', 1, 'test_simd'), t('avx', 'passed', 1, 'test_avx'), t('both', 'errored', 1, 'test_both')];
  const x86: TimedTest[] = [t('simd', 'passed', 1), t('avx', 'failed', 1, 'test_avx'), t('both', 'failed', 1)];
  for (let i = 0; i < armFailures; i++) {
    arm.push(t(`f${i}`, 'failed', 1, `test_only_broken_on_arm64_number_${i}`));
    x86.push(t(`f${i}`, 'passed', 1));
  }
  for (let i = 0; i < n; i++) {
    arm.push(t(`t${i}`, 'passed', 2 + i, `test_${i}`));
    x86.push(t(`t${i}`, 'passed', 1));
  }
  const jobs: Leg[] = [{ name: 'test (3.11)', conclusion: 'success', durationSeconds: 245 }];
  const base: Leg[] = [{ name: 'test (3.11)', conclusion: 'success', durationSeconds: 121 }, { name: 'test (3.13)', conclusion: 'failure', durationSeconds: 30 }];
  return compareRuns({ tests: arm, jobs }, { tests: x86, jobs: base });
}

describe('renderComparison', () => {
  it('shows pass rates side by side, the headline ratio, one-sided failures, the largest ratios and the legs', () => {
    const md = renderComparison(sample(), labels, { maxBytes: 60_000 });
    expect(md).toContain('### dgx compared with x86');
    expect(md).toContain('| | dgx | x86 (baseline) |');
    expect(md).toContain('| Smoke tests | 4/6 (66%) | 4/6 (66%) |');
    expect(md).toContain('| Failing only here | 1 | 1 |');
    expect(md).toContain('| Time of the 3 tests passed on both | 9.0 s | 3.0 s |');
    expect(md).toContain('**Test time: dgx takes 3.00× as long as x86** (3 tests that passed on both; times under 0.10 s count as 0.10 s).');
    expect(md).toContain('#### Failing only on dgx (1)\n\n- ❌ **test\\_simd** (x86: passed)');
    expect(md).toContain('#### Failing only on x86 (1)\n\n- ❌ **test\\_avx** (dgx: passed)');
    expect(md).toContain('1 test fails on both.');
    expect(md).toContain('#### Largest duration ratios (dgx ÷ x86)');
    expect(md).toContain('| test\\_2 | 4.0 s | 1.0 s | 4.00× |');
    expect(md.indexOf('test\\_2 |')).toBeLessThan(md.indexOf('test\\_0 |'));
    expect(md).toContain('| test (3.11) | ✅ 4m 05s | ✅ 2m 01s | 2.02× |');
    expect(md).toContain('| test (3.13) | not run | ❌ 30.0 s | — |');
  });

  it('says where the baseline came from when it is not this commit', () => {
    const md = renderComparison(sample(), { ...labels, baselineNote: 'the latest run of main (1a2b3c4): this commit has no x86 results yet' }, { maxBytes: 60_000 });
    expect(md).toContain('_Baseline: the latest run of main (1a2b3c4): this commit has no x86 results yet._');
  });

  it('says so when there is no duration ratio', () => {
    const c = compareRuns({ tests: [t('a', 'failed', 1)] }, { tests: [t('a', 'passed', 1)] });
    const md = renderComparison(c, labels, { maxBytes: 60_000 });
    expect(md).toContain('No test passed with a time on both sides');
    expect(md).not.toContain('Largest duration ratios');
    expect(md).not.toContain('Time of the');
    expect(md).not.toContain('Matrix legs');
  });

  it('escapes test names and labels that hold Markdown or HTML', () => {
    const c = compareRuns({ tests: [t('x', 'failed', 1, '<img src=x> | *bold* [link](http://e)')] }, { tests: [t('x', 'passed', 1)] });
    const md = renderComparison(c, { target: 'a|b', baseline: 'x86' }, { maxBytes: 60_000 });
    expect(md).not.toMatch(/(^|[^\\])<img/);
    expect(md).toContain('\\<img src=x\\> \\| \\*bold\\* \\[link\\](http://e)');
    expect(md).toContain('| | a\\|b | x86 (baseline) |');
  });

  it('shortens long lists, saying how many more there are', () => {
    const many = sample(40);
    const md = renderComparison(many, labels, { maxBytes: 60_000, maxListed: 5 });
    expect(md.match(/^\| test_\d+ \|/gm) ?? []).toHaveLength(0); // names are escaped
    expect(md.match(/^\| test\\_\d+ \|/gm)).toHaveLength(5);
  });

  it('shortens lists before cutting text when the budget is tight, and always keeps to it', () => {
    const c = sample(200, 200);
    const full = renderComparison(c, labels, { maxBytes: 1_000_000 });
    const tight = renderComparison(c, labels, { maxBytes: 1500 });
    expect(utf8Length(full)).toBeGreaterThan(1500);
    expect(utf8Length(tight)).toBeLessThanOrEqual(1500);
    expect(tight).toContain('**Test time: dgx takes');
    expect(tight).toContain('#### Failing only on dgx (201)');
    expect(tight).toMatch(/- … and \d+ more/);
    expect(tight).not.toContain('trimmed');
  });

  it('never exceeds any budget, down to nothing', () => {
    const c = sample(30, 30);
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 8000 }), (budget) => {
        const md = renderComparison(c, labels, { maxBytes: budget });
        expect(utf8Length(md)).toBeLessThanOrEqual(Math.max(0, budget));
      }),
      { numRuns: 300 },
    );
  });
});

describe('fitSection', () => {
  it('tries the caller’s length, then the shorter steps, and cuts with the note only when nothing fits', () => {
    const seen: number[] = [];
    const render = (n: number) => {
      seen.push(n);
      return `heading\n${'row\n'.repeat(n)}`.trimEnd();
    };
    expect(fitSection(render, 1000, 40, 'NOTE')).toBe(`heading\n${'row\n'.repeat(40)}`.trimEnd());
    seen.length = 0;
    expect(fitSection(render, 30, 40, 'NOTE')).toBe(`heading\n${'row\n'.repeat(5)}`.trimEnd());
    expect(seen).toEqual([40, 25, 10, 5]);
    expect(fitSection(() => 'x'.repeat(100), 20, 3, 'NOTE')).toMatch(/NOTE$/);
    expect(fitSection(render, 0, 3, 'NOTE')).toBe('');
  });
});
