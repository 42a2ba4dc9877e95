import type { RepoConfig } from '../../core/config/schema';
import type { GitHub } from '../../github/client';
import type { PullInfo } from '../../github/pulls';
import type { RepoRef, WorkerDeps } from '../deps';

/** Everything one comment's commands are decided and carried out with. */
export interface CommandContext {
  deps: WorkerDeps;
  gh: GitHub;
  repo: RepoRef;
  config: RepoConfig;
  prNumber: number;
  commenter: string;
  /** The comment's `created_at` (GitHub's clock): what an `/ok-to-test` can have seen. */
  commentedAt: string;
  deliveryId: string;
  /** The pull request as GitHub has it now (fetched once, on first use). */
  pull(): Promise<PullInfo | null>;
  /** Commits approved by an earlier `/ok-to-test` of the same comment (not yet in the index). */
  approved: Set<string>;
}

/**
 * What a command will do, decided before anything is done and stored per delivery (see
 * `planOnce`), so a retried delivery carries out the first decision rather than re-deciding after
 * its own effects (an `/ok-to-test` retried must not find "already approved" and skip).
 */
export type Plan =
  /** `notCovered`: an `/ok-to-test` that did not approve this head commit; its held check run says so. */
  | { kind: 'refuse'; reason: string; help?: boolean; notCovered?: string }
  | {
      kind: 'dispatch';
      sha: string;
      branch: string;
      /** The pull request's base branch, which its runs compare with; absent in plans stored before it: the default branch. */
      prBase?: string;
      trigger: 'command' | 'rerun' | 'approval';
      overrides: Record<string, string>;
      /** The named targets to run; absent: every target. */
      targets?: string[];
      /** A re-run's input values per named target (each repeats its own latest run's). */
      overridesByTarget?: Record<string, Record<string, string>>;
      notes: string[];
      /** `/ok-to-test`: close the held check runs of this commit, pointing at the new one. */
      releaseHeld?: boolean;
    }
  | { kind: 'cancel' }
  | { kind: 'status' }
  | { kind: 'help' }
  /** Accepted, nothing to do but say so (e.g. `/ok-to-test` on a trusted pull request). */
  | { kind: 'note'; text: string };

/** How one command ended, for the reactions and the reply. */
export interface Outcome {
  /** The command as written (one line of the comment). */
  text: string;
  accepted: boolean;
  dispatched: boolean;
  /** Markdown for the reply; absent when the reactions and the check run say it all. */
  reply?: string;
  /** Append the command table to the reply (unknown command). */
  help?: boolean;
  /** The reply already holds the command table (`help`). */
  showsHelp?: boolean;
}
