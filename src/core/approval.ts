/**
 * What an `/ok-to-test` approves: the pull request's head commit, and only if that commit was
 * already shown as waiting for `/ok-to-test` when the comment was written.
 *
 * Both times are GitHub's: the comment's `created_at`, and the `started_at` GitHub gave the held
 * check run when we created it (GitHub sets it to the creation time; we never send one for a held
 * run). So the rule holds whatever order the `issue_comment` and `pull_request` deliveries arrive
 * and are processed in: a commit pushed after the comment, or pushed before it but not yet shown
 * as waiting, was not what the maintainer saw. GitHub's times have whole seconds: a commit shown
 * as waiting in the same second as the comment is not taken as seen (the safe side of the tie).
 */
import { codeSpan } from './markdown';

/** One held (waiting for `/ok-to-test`) run on this pull request. */
export interface HeldRun {
  sha: string;
  /** When GitHub first showed it as waiting (its check run's `started_at`); null: not shown yet. */
  heldAt: string | null;
  /** Still waiting now; a held run closed as superseded no longer showed the commit as waiting. */
  waiting: boolean;
}

export type OkToTestDecision =
  | { kind: 'approve'; sha: string }
  /** `notCovered`: the head commit this comment did not approve (its held check run says so). */
  | { kind: 'refuse'; reason: string; notCovered: string | null };

const short = (sha: string) => sha.slice(0, 7);
const time = (iso: string) => Date.parse(iso);

/** Whether `requested` (a 7 to 40 hex character prefix, any case) names `head`. */
export function shaMatches(requested: string, head: string): boolean {
  return requested.length >= 7 && head.toLowerCase().startsWith(requested.toLowerCase());
}

/**
 * Whether `sha` was the commit this pull request showed as waiting when the comment was written:
 * of the pull request's held runs shown strictly before `commentAt`, the latest is of `sha` (no
 * other commit was held after it: the fork did not move on and back) and is still waiting (not
 * closed as superseded since). An unreadable time approves nothing.
 */
export function wasWaitingAt(held: HeldRun[], sha: string, commentAt: string): boolean {
  const at = time(commentAt);
  const before = held.filter((r) => r.heldAt !== null && time(r.heldAt) < at);
  if (before.length === 0) return false;
  const latest = Math.max(...before.map((r) => time(r.heldAt!)));
  const last = before.filter((r) => time(r.heldAt!) === latest);
  return last.every((r) => r.sha === sha) && last.some((r) => r.waiting);
}

export function decideOkToTest(a: {
  prNumber: number;
  headSha: string;
  /** The sha named by `/ok-to-test <sha>`, if any. */
  requested?: string;
  /** The comment's `created_at`. */
  commentAt: string;
  /** This pull request's held runs, of any commit. */
  held: HeldRun[];
}): OkToTestDecision {
  const head = codeSpan(short(a.headSha));
  if (a.requested !== undefined && !shaMatches(a.requested, a.headSha))
    return {
      kind: 'refuse',
      reason: `${codeSpan(a.requested)} is not the head of #${a.prNumber}: its head is now ${head}. Nothing was run; review ${head} and approve it with ${codeSpan(`/ok-to-test ${short(a.headSha)}`)}.`,
      notCovered: null,
    };
  if (wasWaitingAt(a.held, a.headSha, a.commentAt)) return { kind: 'approve', sha: a.headSha };
  const shownLater = a.held
    .filter((r) => r.sha === a.headSha && r.waiting && r.heldAt !== null && !(time(r.heldAt) < time(a.commentAt)))
    .map((r) => r.heldAt!)
    .sort()[0];
  return {
    kind: 'refuse',
    reason: `the head of #${a.prNumber} is now ${head}, which was not waiting for /ok-to-test when this comment was written (${a.commentAt})${
      shownLater ? `: it has been waiting since ${shownLater}` : ''
    }. An approval covers only a commit you could have seen waiting, so nothing was run. Review ${head} and comment ${codeSpan('/ok-to-test')} again${
      shownLater ? '' : ' once its check run says it is waiting'
    }.`,
    notCovered: a.headSha,
  };
}

/** The latest `/ok-to-test` written on a pull request, as remembered for the next held commit. */
interface LatestOkToTest {
  by: string;
  commentAt: string;
  /** The commit it approved; null when it approved nothing (the head had moved). */
  sha: string | null;
}

/**
 * The line a held check run gets when an `/ok-to-test` on its pull request did not cover it.
 * `pushedAt`: when GitHub says the pull request was updated with this commit (the `synchronize`
 * payload's `updated_at`), to tell "pushed after" from "not yet shown as waiting"; wording only.
 */
export function notCoveredNote(latest: LatestOkToTest, sha: string, pushedAt?: string | null): string | null {
  if (latest.sha === sha) return null;
  const of = latest.sha ? ` of ${short(latest.sha)}` : '';
  const approval = `@${latest.by}'s /ok-to-test${of} at ${latest.commentAt}`;
  if (pushedAt && time(pushedAt) > time(latest.commentAt))
    return `Pushed after ${approval}; needs a new /ok-to-test.`;
  return `Not covered by ${approval}: this commit was not shown as waiting for /ok-to-test when that comment was written; needs a new /ok-to-test.`;
}
