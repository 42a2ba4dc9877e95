import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../core/compare/runs';
import type { TimedTest } from '../../core/compare/tests';
import { ComparePage, DIFF_ROWS } from './compare';
import type { CompareView } from './compare-view';

const side = (target: string, dispatchId: string) => ({ dispatchId, target, sha: 'a'.repeat(40), attempt: 1, url: `/repos/o/r/runs/${dispatchId}` });
const links = { repo: '/repos/o/r', run: '/repos/o/r/runs/D1', json: '/api/repos/o/r/runs/D1/compare' };

function page(failingOnTarget: number, failingOnBaseline: number): string {
  const test = (i: number, outcome: TimedTest['outcome']): TimedTest => ({ id: `t${String(i).padStart(5, '0')}`, name: `test_${i}`, outcome, durationSeconds: 1 });
  const n = failingOnTarget + failingOnBaseline + 1;
  const ours = Array.from({ length: n }, (_, i) => test(i, i < failingOnTarget ? 'failed' : 'passed'));
  const theirs = Array.from({ length: n }, (_, i) => test(i, i >= failingOnTarget && i < failingOnTarget + failingOnBaseline ? 'failed' : 'passed'));
  const view: CompareView = {
    repo: 'o/r',
    run: side('dgx', 'D1'),
    baseline: { ...side('x86', 'D2'), sameCommit: true },
    comparison: compareRuns({ tests: ours }, { tests: theirs }),
    links,
  };
  return String(ComparePage({ view }));
}

const diffRows = (html: string) => html.slice(html.indexOf('id="diff"')).split('<h2')[0]!.match(/<tr><td class="text">/g)?.length ?? 0;

describe('compare page', () => {
  it('lists every one-sided failure while there are few, with no note', () => {
    const html = page(3, 2);
    expect(diffRows(html)).toBe(5);
    expect(html).not.toContain('Showing the first');
  });

  it(`lists at most ${DIFF_ROWS} per side and says how many more there are and where they all are`, () => {
    const html = page(DIFF_ROWS + 150, 2);
    expect(diffRows(html)).toBe(DIFF_ROWS + 2);
    expect(html).toContain(`Showing the first ${DIFF_ROWS} of the ${DIFF_ROWS + 150} tests failing only on dgx. <a href="/api/repos/o/r/runs/D1/compare">The JSON</a> lists every test`);
    // The summary still counts them all.
    expect(html).toContain(`<td class="num">${DIFF_ROWS + 150}</td>`);
  });
});
