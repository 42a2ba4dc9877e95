import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterQuery, isEmptyFilter, matchesRunFilter, parseRunFilter, RUN_STATUSES, statusMatches, type FilterableRun, type RunFilter, type RunStatusFilter } from './run-filter';

const run = (over: Partial<FilterableRun> = {}): FilterableRun => ({
  branch: 'main',
  pr: null,
  state: 'completed',
  conclusion: 'success',
  actor: 'octocat',
  ...over,
});

const STATES = ['pending', 'dispatching', 'dispatched', 'awaiting_approval', 'queued', 'in_progress', 'completed'];
const CONCLUSIONS = [null, 'success', 'failure', 'timed_out', 'startup_failure', 'cancelled', 'neutral', 'skipped', 'action_required', 'stale'];

/** What each status asks for, written out per (state, conclusion) rather than derived. */
function expected(status: RunStatusFilter, state: string, conclusion: string | null): boolean {
  const done = state === 'completed';
  return {
    queued: ['pending', 'dispatching', 'dispatched', 'queued'].includes(state),
    in_progress: state === 'in_progress',
    awaiting_approval: state === 'awaiting_approval',
    completed: done,
    success: done && conclusion === 'success',
    failure: done && ['failure', 'timed_out', 'startup_failure'].includes(conclusion ?? ''),
    cancelled: done && conclusion === 'cancelled',
  }[status];
}

describe('statusMatches', () => {
  const cases = RUN_STATUSES.flatMap((s) => STATES.flatMap((st) => CONCLUSIONS.map((c) => [s, st, c] as const)));
  it.each(cases)('%s against state %s, conclusion %s', (status, state, conclusion) => {
    expect(statusMatches(status, state, conclusion)).toBe(expected(status, state, conclusion));
  });

  it('every run state is matched by exactly one of queued, in_progress, awaiting_approval, completed', () => {
    for (const state of STATES) {
      const hits = (['queued', 'in_progress', 'awaiting_approval', 'completed'] as const).filter((s) => statusMatches(s, state, null));
      expect(hits, state).toHaveLength(1);
    }
  });
});

describe('matchesRunFilter', () => {
  it('an empty filter matches every run', () => {
    expect(matchesRunFilter(run(), {})).toBe(true);
    expect(matchesRunFilter(run({ branch: null, actor: null, conclusion: null, state: 'pending' }), {})).toBe(true);
  });

  it.each<[string, RunFilter, Partial<FilterableRun>, boolean]>([
    ['branch equal', { branch: 'main' }, {}, true],
    ['branch differs', { branch: 'dev' }, {}, false],
    ['branch compares case-sensitively (git does)', { branch: 'Main' }, {}, false],
    ['branch of a pull request run (its head branch)', { branch: 'feature/x' }, { branch: 'feature/x', pr: 7 }, true],
    ['branch against a run without one', { branch: 'main' }, { branch: null }, false],
    ['pr equal', { pr: 7 }, { pr: 7 }, true],
    ['pr differs', { pr: 8 }, { pr: 7 }, false],
    ['pr against a push run', { pr: 7 }, {}, false],
    ['author ignores case (GitHub logins do)', { author: 'OctoCat' }, {}, true],
    ['author differs', { author: 'hubot' }, {}, false],
    ['author against a run without an actor', { author: 'octocat' }, { actor: null }, false],
    ['target default matches a run without a target', { target: 'default' }, {}, true],
    ['target default matches an empty target', { target: 'default' }, { target: '' }, true],
    ['target named', { target: 'dgx' }, { target: 'dgx' }, true],
    ['target ignores case', { target: 'DGX' }, { target: 'dgx' }, true],
    ['target named against a run without one', { target: 'dgx' }, {}, false],
    ['target default against a named target', { target: 'default' }, { target: 'dgx' }, false],
    ['status', { status: 'failure' }, { conclusion: 'timed_out' }, true],
    ['all fields match', { branch: 'main', status: 'success', target: 'default', author: 'octocat' }, {}, true],
    ['all but one field match', { branch: 'main', status: 'failure', target: 'default', author: 'octocat' }, {}, false],
  ])('%s', (_, filter, over, want) => {
    expect(matchesRunFilter(run(over), filter)).toBe(want);
  });

  it('is the conjunction of each field alone (any run, any filter)', () => {
    const arbRun = fc.record({
      branch: fc.constantFrom(null, 'main', 'dev', 'feature/x'),
      pr: fc.constantFrom(null, 1, 2),
      state: fc.constantFrom(...STATES),
      conclusion: fc.constantFrom(...CONCLUSIONS),
      actor: fc.constantFrom(null, 'octocat', 'hubot'),
      target: fc.constantFrom(undefined, null, 'default', 'dgx'),
    });
    const arbFilter = fc.record(
      {
        branch: fc.constantFrom('main', 'dev', 'feature/x'),
        pr: fc.constantFrom(1, 2),
        status: fc.constantFrom(...RUN_STATUSES),
        target: fc.constantFrom('default', 'dgx'),
        author: fc.constantFrom('octocat', 'HUBOT'),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(arbRun, arbFilter, (r, f) => {
        const each = (Object.keys(f) as (keyof RunFilter)[]).every((k) => matchesRunFilter(r, { [k]: f[k] }));
        expect(matchesRunFilter(r, f)).toBe(each);
      }),
    );
  });
});

describe('parseRunFilter', () => {
  it('reads every field', () => {
    expect(parseRunFilter({ branch: 'release/1.0', pr: '42', status: 'failure', target: 'dgx', author: 'octocat' })).toEqual({
      ok: true,
      filter: { branch: 'release/1.0', pr: 42, status: 'failure', target: 'dgx', author: 'octocat' },
    });
  });

  it('treats missing and blank values (an empty form field) as any', () => {
    expect(parseRunFilter({})).toEqual({ ok: true, filter: {} });
    expect(parseRunFilter({ branch: '', pr: ' ', status: '', target: '', author: '' })).toEqual({ ok: true, filter: {} });
  });

  it('ignores keys it does not know (cursor, limit, token)', () => {
    expect(parseRunFilter({ cursor: 'x', limit: '5', token: 't' })).toEqual({ ok: true, filter: {} });
  });

  it('accepts the spellings people paste: #42 and @octocat, bots', () => {
    expect(parseRunFilter({ pr: '#42', author: '@octocat' })).toEqual({ ok: true, filter: { pr: 42, author: 'octocat' } });
    expect(parseRunFilter({ author: 'dependabot[bot]' })).toEqual({ ok: true, filter: { author: 'dependabot[bot]' } });
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ status: 'passed' }, /^invalid status: use one of queued, in_progress, awaiting_approval, completed, success, failure, cancelled$/],
    [{ status: 'SUCCESS' }, /^invalid status/],
    [{ pr: 'abc' }, /^invalid pr: give a pull request number/],
    [{ pr: '0' }, /^invalid pr/],
    [{ pr: '-3' }, /^invalid pr/],
    [{ pr: '1.5' }, /^invalid pr/],
    [{ pr: '12345678901' }, /^invalid pr/],
    [{ target: '9lives' }, /^invalid target: a target name is a letter/],
    [{ target: 'a'.repeat(33) }, /^invalid target/],
    [{ target: 'a b' }, /^invalid target/],
    [{ author: 'octo cat' }, /^invalid author: give a GitHub login/],
    [{ author: '-octocat' }, /^invalid author/],
    [{ author: 'octo--cat' }, /^invalid author/],
    [{ author: 'a'.repeat(40) }, /^invalid author/],
    [{ author: '<script>' }, /^invalid author/],
    [{ branch: 'x'.repeat(256) }, /^invalid branch: longer than 255 bytes$/],
    [{ branch: 'é'.repeat(128) }, /^invalid branch: longer than 255 bytes$/],
    [{ branch: 'a\nb' }, /^invalid branch: contains characters/],
    [{ branch: 'a\u0000b' }, /^invalid branch: contains characters/],
    [{ branch: '\uD800' }, /^invalid branch: contains characters/],
  ])('refuses %j with a reason', (query, reason) => {
    const r = parseRunFilter(query);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(reason);
  });

  it('accepts the longest values it allows', () => {
    const r = parseRunFilter({ branch: 'x'.repeat(255), author: 'a'.repeat(39), target: 'a'.repeat(32), pr: '9999999999' });
    expect(r.ok).toBe(true);
  });

  it('round-trips through its query string, keys in one order', () => {
    const f: RunFilter = { author: 'octocat', status: 'in_progress', branch: 'feature/a b&c', pr: 3, target: 'dgx' };
    const q = filterQuery(f);
    expect(q).toBe('branch=feature%2Fa+b%26c&pr=3&status=in_progress&target=dgx&author=octocat');
    expect(parseRunFilter(Object.fromEntries(new URLSearchParams(q)))).toEqual({ ok: true, filter: { branch: 'feature/a b&c', pr: 3, status: 'in_progress', target: 'dgx', author: 'octocat' } });
    expect(filterQuery({})).toBe('');
    expect(isEmptyFilter({})).toBe(true);
    expect(isEmptyFilter({ pr: 1 })).toBe(false);
  });
});
