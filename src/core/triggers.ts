/** What a push or a pull_request event means for the arm64 check: dispatch a run, or not and why. */
import picomatch from 'picomatch';
import type { RepoConfig } from './config/schema';

type TriggerDecision =
  | { dispatch: true; sha: string; branch: string; pr: number | null }
  | { dispatch: false; reason: string };

const ZERO_SHA = /^0+$/;
const BRANCH_PREFIX = 'refs/heads/';
const TAG_PREFIX = 'refs/tags/';

export function decidePush(
  push: { ref: string; after: string; deleted: boolean },
  config: RepoConfig,
): TriggerDecision {
  if (push.ref.startsWith(TAG_PREFIX)) return { dispatch: false, reason: `tag push (${push.ref}) is not checked` };
  if (!push.ref.startsWith(BRANCH_PREFIX)) return { dispatch: false, reason: `${push.ref} is not a branch` };
  const branch = push.ref.slice(BRANCH_PREFIX.length);
  // GitHub sends `after` as all zeros when a branch is deleted; there is no commit to test.
  if (push.deleted || ZERO_SHA.test(push.after)) return { dispatch: false, reason: `branch ${branch} was deleted` };
  if (!branchMatches(branch, config.triggers.push))
    return {
      dispatch: false,
      reason:
        config.triggers.push.length === 0
          ? 'pushes are not checked (triggers.push is empty)'
          : `branch ${branch} does not match triggers.push (${config.triggers.push.join(', ')})`,
    };
  return { dispatch: true, sha: push.after, branch, pr: null };
}

const PR_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);

export function decidePullRequest(
  pr: { action: string; number: number; head: { sha: string; ref: string }; state?: string; draft?: boolean },
  config: RepoConfig,
): TriggerDecision {
  if (!config.triggers.pull_request)
    return { dispatch: false, reason: 'pull requests are not checked (triggers.pull_request is false)' };
  if (!PR_ACTIONS.has(pr.action))
    return { dispatch: false, reason: `pull_request.${pr.action} does not start a run` };
  if (pr.state !== undefined && pr.state !== 'open')
    return { dispatch: false, reason: `pull request #${pr.number} is ${pr.state}` };
  // Drafts are dispatched too: people open a draft precisely to try a change on the hardware.
  return { dispatch: true, sha: pr.head.sha, branch: pr.head.ref, pr: pr.number };
}

/**
 * Whether a branch matches a list of globs, with GitHub's `branches:` semantics: `*` stays within
 * one path segment, `**` crosses them, and a later `!pattern` excludes what earlier ones included.
 */
export function branchMatches(branch: string, globs: string[]): boolean {
  let matched = false;
  for (const glob of globs) {
    const negated = glob.startsWith('!');
    const pattern = negated ? glob.slice(1) : glob;
    // windows: false keeps matching identical on every platform (branch names use "/").
    if (picomatch.isMatch(branch, pattern, { windows: false, dot: true, nonegate: true })) matched = !negated;
  }
  return matched;
}
