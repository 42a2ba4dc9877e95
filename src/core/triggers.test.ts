import { describe, expect, it } from 'vitest';
import { parseConfig } from './config/parse';
import type { RepoConfig } from './config/schema';
import { branchMatches, decidePullRequest, decidePush } from './triggers';

function config(extra = ''): RepoConfig {
  const r = parseConfig(`workflow: arm64-ci.yml\n${extra}`, { defaultBranch: 'main' });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

const SHA = 'a'.repeat(40);
const ZERO = '0'.repeat(40);

describe('branchMatches', () => {
  it.each<[string, string[], boolean]>([
    ['main', ['main'], true],
    ['Main', ['main'], false],
    ['main', ['dev'], false],
    ['release/1.0', ['release/*'], true],
    ['release/1/x', ['release/*'], false],
    ['release/1/x', ['release/**'], true],
    ['release', ['release/*'], false],
    ['feature/a/b/c', ['**'], true],
    ['main', ['**'], true],
    ['v2-hotfix', ['v[0-9]-*'], true],
    ['anything', [], false],
    ['release/1.0', ['main', 'release/*'], true],
    // GitHub semantics: a later "!" pattern excludes what an earlier one included…
    ['release/old', ['release/*', '!release/old'], false],
    ['release/new', ['release/*', '!release/old'], true],
    // …and a later positive pattern brings it back.
    ['release/old', ['release/*', '!release/old', 'release/old'], true],
    // Malformed globs never throw: they match literally or not at all.
    ['main', ['[z-a', '(', 'main'], true],
    ['main', ['[z-a', '('], false],
    // Only exclusions include nothing.
    ['main', ['!dev'], false],
  ])('%s against %j → %s', (branch, globs, expected) => {
    expect(branchMatches(branch, globs)).toBe(expected);
  });
});

describe('decidePush', () => {
  const c = config('triggers:\n  push: [main, "release/*"]\n');

  it('dispatches a push to a matching branch, with the pushed commit', () => {
    expect(decidePush({ ref: 'refs/heads/main', after: SHA, deleted: false }, c)).toEqual({
      dispatch: true,
      sha: SHA,
      branch: 'main',
      pr: null,
    });
    expect(decidePush({ ref: 'refs/heads/release/2.1', after: SHA, deleted: false }, c)).toMatchObject({
      dispatch: true,
      branch: 'release/2.1',
    });
  });

  it('uses the default branch when triggers.push is not set', () => {
    const d = config();
    expect(decidePush({ ref: 'refs/heads/main', after: SHA, deleted: false }, d).dispatch).toBe(true);
    expect(decidePush({ ref: 'refs/heads/dev', after: SHA, deleted: false }, d).dispatch).toBe(false);
  });

  it('skips branches that do not match, naming the globs', () => {
    const d = decidePush({ ref: 'refs/heads/feature/x', after: SHA, deleted: false }, c);
    expect(d).toEqual({
      dispatch: false,
      reason: 'branch feature/x does not match triggers.push (main, release/*)',
    });
  });

  it('says when pushes are switched off entirely', () => {
    const d = decidePush({ ref: 'refs/heads/main', after: SHA, deleted: false }, config('triggers:\n  push: []\n'));
    expect(d).toEqual({ dispatch: false, reason: 'pushes are not checked (triggers.push is empty)' });
  });

  it('skips tag pushes', () => {
    const d = decidePush({ ref: 'refs/tags/v1.0.0', after: SHA, deleted: false }, config('triggers:\n  push: ["**"]\n'));
    expect(d).toEqual({ dispatch: false, reason: 'tag push (refs/tags/v1.0.0) is not checked' });
  });

  it('skips branch deletions, flagged or by the all-zero commit', () => {
    expect(decidePush({ ref: 'refs/heads/main', after: ZERO, deleted: true }, c)).toEqual({
      dispatch: false,
      reason: 'branch main was deleted',
    });
    expect(decidePush({ ref: 'refs/heads/main', after: ZERO, deleted: false }, c).dispatch).toBe(false);
    expect(decidePush({ ref: 'refs/heads/main', after: SHA, deleted: true }, c).dispatch).toBe(false);
  });

  it('skips refs that are not branches', () => {
    expect(decidePush({ ref: 'refs/notes/commits', after: SHA, deleted: false }, c)).toEqual({
      dispatch: false,
      reason: 'refs/notes/commits is not a branch',
    });
    expect(decidePush({ ref: 'main', after: SHA, deleted: false }, c).dispatch).toBe(false);
  });
});

describe('decidePullRequest', () => {
  const pr = (action: string, more: { state?: string; draft?: boolean } = {}) => ({
    action,
    number: 42,
    head: { sha: SHA, ref: 'feature/arm' },
    ...more,
  });

  it.each(['opened', 'synchronize', 'reopened'])('dispatches on %s, for the head commit and branch', (action) => {
    expect(decidePullRequest(pr(action, { state: 'open' }), config())).toEqual({
      dispatch: true,
      sha: SHA,
      branch: 'feature/arm',
      pr: 42,
    });
  });

  it('dispatches draft pull requests too', () => {
    expect(decidePullRequest(pr('opened', { draft: true }), config()).dispatch).toBe(true);
  });

  it('does not look at triggers.push for pull requests', () => {
    const c = config('triggers:\n  push: []\n');
    expect(decidePullRequest(pr('synchronize'), c).dispatch).toBe(true);
  });

  it.each(['closed', 'edited', 'labeled', 'ready_for_review', 'assigned'])('does not dispatch on %s', (action) => {
    expect(decidePullRequest(pr(action), config())).toEqual({
      dispatch: false,
      reason: `pull_request.${action} does not start a run`,
    });
  });

  it('does not dispatch when pull requests are switched off', () => {
    const d = decidePullRequest(pr('opened'), config('triggers:\n  pull_request: false\n'));
    expect(d).toEqual({ dispatch: false, reason: 'pull requests are not checked (triggers.pull_request is false)' });
  });

  it('does not dispatch for a pull request that is no longer open', () => {
    expect(decidePullRequest(pr('synchronize', { state: 'closed' }), config())).toEqual({
      dispatch: false,
      reason: 'pull request #42 is closed',
    });
  });
});
