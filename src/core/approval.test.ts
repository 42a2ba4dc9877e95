import { describe, expect, it } from 'vitest';
import { decideOkToTest, notCoveredNote, shaMatches, wasWaitingAt } from './approval';

const head = 'abcdef1234567890abcdef1234567890abcdef12';
const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, s)).toISOString().replace('.000Z', 'Z');
const decide = (o: Partial<Parameters<typeof decideOkToTest>[0]>) =>
  decideOkToTest({ prNumber: 13, headSha: head, commentAt: at(10), held: [], ...o });

describe('shaMatches', () => {
  it.each([
    ['abcdef1', true],
    ['ABCDEF1', true],
    [head, true],
    [head.toUpperCase(), true],
    ['abcdef2', false],
    ['abcdef', false], // fewer than 7 characters never names a commit
    ['bcdef12', false], // a prefix, not any substring
    [`${head}0`, false],
  ])('%s → %s', (requested, expected) => {
    expect(shaMatches(requested, head)).toBe(expected);
  });
});

const other = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const run = (heldAt: string | null, o: { sha?: string; waiting?: boolean } = {}) => ({ sha: head, heldAt, waiting: true, ...o });

describe('wasWaitingAt', () => {
  it('needs the commit to have been shown as waiting strictly before the comment, and to be waiting still', () => {
    expect(wasWaitingAt([run(at(9))], head, at(10))).toBe(true);
    // Same second: GitHub's times have whole seconds, so "before" cannot be told; not approved.
    expect(wasWaitingAt([run(at(10))], head, at(10))).toBe(false);
    expect(wasWaitingAt([run(at(11))], head, at(10))).toBe(false);
    // Held once, then superseded: it was not waiting any more.
    expect(wasWaitingAt([run(at(1), { waiting: false })], head, at(10))).toBe(false);
    // Held but its check run never got created: nobody was shown anything.
    expect(wasWaitingAt([run(null)], head, at(10))).toBe(false);
    expect(wasWaitingAt([], head, at(10))).toBe(false);
  });

  it('needs it to be the commit the pull request showed last before the comment', () => {
    // The fork moved on to another commit, then back: the maintainer was looking at the other one.
    expect(wasWaitingAt([run(at(1)), run(at(5), { sha: other })], head, at(10))).toBe(false);
    // Another commit held after the comment does not matter.
    expect(wasWaitingAt([run(at(1)), run(at(15), { sha: other })], head, at(10))).toBe(true);
    // Two commits held in the same second: which one was shown cannot be told.
    expect(wasWaitingAt([run(at(5)), run(at(5), { sha: other })], head, at(10))).toBe(false);
    // The same commit held twice (a reopened pull request): the latest still waits.
    expect(wasWaitingAt([run(at(1), { waiting: false }), run(at(5))], head, at(10))).toBe(true);
  });

  it('approves nothing when a time cannot be read', () => {
    expect(wasWaitingAt([run('yesterday')], head, at(10))).toBe(false);
    expect(wasWaitingAt([run(at(1))], head, 'now')).toBe(false);
  });

  it('compares instants, not text (GitHub may send milliseconds or an offset)', () => {
    expect(wasWaitingAt([run('2026-11-25T12:00:09.500Z')], head, '2026-11-25T13:00:10+01:00')).toBe(true);
  });
});

describe('decideOkToTest', () => {
  it('approves the head commit when it was waiting before the comment was written', () => {
    expect(decide({ held: [run(at(5))] })).toEqual({ kind: 'approve', sha: head });
  });

  it('approves the explicit form naming the head by a prefix or in full, in any case', () => {
    const held = [run(at(5))];
    expect(decide({ held, requested: 'abcdef1' }).kind).toBe('approve');
    expect(decide({ held, requested: head.toUpperCase() }).kind).toBe('approve');
  });

  it('refuses a named sha that is not the head, naming the head to approve instead', () => {
    const d = decide({ held: [run(at(5))], requested: '1234567' });
    expect(d).toEqual({
      kind: 'refuse',
      reason: '`1234567` is not the head of #13: its head is now `abcdef1`. Nothing was run; review `abcdef1` and approve it with `/ok-to-test abcdef1`.',
      notCovered: null,
    });
  });

  it('refuses a head that was never shown as waiting (pushed after, or its push not processed yet)', () => {
    const d = decide({ held: [run(at(1), { sha: other })] });
    expect(d.kind).toBe('refuse');
    expect(d.kind === 'refuse' && d.notCovered).toBe(head);
    expect(d.kind === 'refuse' && d.reason).toBe(
      `the head of #13 is now \`abcdef1\`, which was not waiting for /ok-to-test when this comment was written (${at(10)}). An approval covers only a commit you could have seen waiting, so nothing was run. Review \`abcdef1\` and comment \`/ok-to-test\` again once its check run says it is waiting.`,
    );
  });

  it('refuses a head shown as waiting only after the comment, saying since when', () => {
    const d = decide({ held: [run(at(1), { sha: other }), run(at(12))] });
    expect(d.kind === 'refuse' && d.reason).toContain(`: it has been waiting since ${at(12)}.`);
    expect(d.kind === 'refuse' && d.notCovered).toBe(head);
  });

  it('refuses a head whose earlier hold was superseded before the comment (a force-push back to it)', () => {
    expect(decide({ held: [run(at(1), { waiting: false }), run(at(5), { sha: other }), run(at(15))] }).kind).toBe('refuse');
  });
});

describe('notCoveredNote', () => {
  const latest = { by: 'maintainer', commentAt: at(10), sha: other };

  it('says a commit pushed after an approval of another commit needs a new one', () => {
    expect(notCoveredNote(latest, head, at(20))).toBe(`Pushed after @maintainer's /ok-to-test of 1111111 at ${at(10)}; needs a new /ok-to-test.`);
  });

  it('says a commit pushed before the comment but not yet shown as waiting was not covered', () => {
    expect(notCoveredNote(latest, head, at(5))).toBe(
      `Not covered by @maintainer's /ok-to-test of 1111111 at ${at(10)}: this commit was not shown as waiting for /ok-to-test when that comment was written; needs a new /ok-to-test.`,
    );
    expect(notCoveredNote({ ...latest, sha: null }, head)).toContain(`Not covered by @maintainer's /ok-to-test at ${at(10)}:`);
  });

  it('says nothing about the commit the approval was for', () => {
    expect(notCoveredNote(latest, latest.sha, at(20))).toBeNull();
  });
});
