import { describe, expect, it } from 'vitest';
import type { DispatchItem } from '../../store/dispatches';
import { RERUN_ACTION, checkRunActions } from '../rerun-action';
import type { Outcome } from './context';
import { reactionsFor, renderReply, replyMarker } from './reply';
import { statusTable } from './status';

const outcome = (o: Partial<Outcome>): Outcome => ({ text: '/arm64 run', accepted: true, dispatched: false, ...o });

describe('reactionsFor', () => {
  it.each<[Partial<Outcome>[], string[]]>([
    [[{ accepted: true, dispatched: true }], ['eyes', 'rocket']],
    [[{ accepted: true }], ['eyes']],
    [[{ accepted: false }], ['confused']],
    [[{ accepted: true, dispatched: true }, { accepted: false }], ['eyes', 'rocket', 'confused']],
  ])('%j → %j', (outcomes, expected) => {
    expect(reactionsFor(outcomes.map(outcome))).toEqual(expected);
  });
});

describe('renderReply', () => {
  const help = { prefix: '/arm64', inputs: ['python-versions'] };

  it('is null when no command has anything to say', () => {
    expect(renderReply({ commenter: 'ann', outcomes: [outcome({ dispatched: true })], help })).toBeNull();
  });

  it('answers each command that has something to say, in order, once', () => {
    const body = renderReply({
      commenter: 'ann',
      outcomes: [
        outcome({ text: '/arm64 run x=1', accepted: false, reply: 'refused: `x` is not an input.' }),
        outcome({ text: '/arm64 run', dispatched: true }),
        outcome({ text: '/arm64 nope', accepted: false, reply: 'refused: unknown command `nope`.', help: true }),
      ],
      help,
    })!;
    expect(body.startsWith('@ann\n')).toBe(true);
    expect(body.indexOf('`/arm64 run x=1`: refused')).toBeLessThan(body.indexOf('`/arm64 nope`: refused'));
    expect(body).not.toContain('`/arm64 run`:');
    // The unknown command brings the table along, once.
    expect(body.match(/\| command \| what it does \|/g)).toHaveLength(1);
  });

  it('does not repeat the table when `help` was asked for as well', () => {
    const body = renderReply({
      commenter: 'ann',
      outcomes: [
        outcome({ text: '/arm64 help', showsHelp: true, reply: '\n\n| command | what it does |' }),
        outcome({ text: '/arm64 nope', accepted: false, reply: 'refused', help: true }),
      ],
      help,
    })!;
    expect(body.match(/\| command \| what it does \|/g)).toHaveLength(1);
  });

  it('keeps a backtick in the command from breaking its code span', () => {
    const body = renderReply({ commenter: 'ann', outcomes: [outcome({ text: '/arm64 run a=`b`', reply: 'x' })], help: null })!;
    expect(body).toContain('`` /arm64 run a=`b` ``: x');
  });

  it('marks the reply with its delivery so a retry can find it', () => {
    expect(replyMarker('abc')).toBe('<!-- arm64-ci: reply to delivery abc -->');
  });
});

describe('statusTable', () => {
  const d = (o: Partial<DispatchItem>): DispatchItem =>
    ({
      repo: 'o/r',
      dispatchId: '01J0000000000000000000000A',
      sha: 'a'.repeat(40),
      trigger: 'pull_request',
      actor: 'ann',
      state: 'completed',
      conclusion: 'success',
      workflowRunUrl: null,
      ...o,
    }) as DispatchItem;

  it('says so when there are no runs', () => {
    expect(statusTable([], { publicUrl: 'https://ci', headSha: null, prNumber: 4 })).toBe('No arm64 runs for #4 yet.');
  });

  it('shows commit, trigger, who, state and a link per run, marking the head', () => {
    const table = statusTable(
      [
        d({ sha: 'b'.repeat(40), trigger: 'approval', actor: 'bob', state: 'in_progress', conclusion: null, workflowRunUrl: 'https://gh/run/9' }),
        d({ state: 'awaiting_approval', conclusion: 'action_required', actor: null }),
      ],
      { publicUrl: 'https://ci', headSha: 'b'.repeat(40), prNumber: 4 },
    );
    expect(table).toContain('| `bbbbbbb` (head) | /ok-to-test | @bob | 🔄 running | [workflow run](https://gh/run/9) |');
    expect(table).toContain('| `aaaaaaa` | pull request | — | ⏸️ waiting for /ok-to-test | [details](https://ci/repos/o/r/runs/01J0000000000000000000000A) |');
  });
});

describe('the "Re-run arm64" action', () => {
  it("fits GitHub's limits", () => {
    expect(RERUN_ACTION.label.length).toBeLessThanOrEqual(20);
    expect(RERUN_ACTION.description.length).toBeLessThanOrEqual(40);
    expect(RERUN_ACTION.identifier.length).toBeLessThanOrEqual(20);
  });

  it('is on finished check runs only, and not on a held one', () => {
    expect(checkRunActions('completed', 'failure')).toEqual([RERUN_ACTION]);
    expect(checkRunActions('completed', 'cancelled')).toEqual([RERUN_ACTION]);
    expect(checkRunActions('in_progress', null)).toBeUndefined();
    expect(checkRunActions('completed', 'action_required')).toBeUndefined();
  });
});
