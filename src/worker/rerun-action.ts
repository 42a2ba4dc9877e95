/**
 * The "Re-run arm64" button on our completed check runs (a check run requested action). GitHub
 * limits: label ≤ 20 characters, description ≤ 40, identifier ≤ 20, at most 3 actions.
 */
import type { CheckAction } from '../github/checks';

export const RERUN_ACTION_ID = 'rerun';

export const RERUN_ACTION: CheckAction = {
  label: 'Re-run arm64',
  description: 'Dispatch the arm64 workflow again',
  identifier: RERUN_ACTION_ID,
};

/**
 * The actions a check run in this state carries. Only finished runs get the button; a held run
 * (`action_required`) does not, because only `/ok-to-test` may release it and a button that
 * does nothing would mislead.
 */
export function checkRunActions(status: string, conclusion: string | null): CheckAction[] | undefined {
  if (status !== 'completed' || conclusion === 'action_required') return undefined;
  return [RERUN_ACTION];
}
