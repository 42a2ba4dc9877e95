/**
 * Key builders for the single table. GitHub treats owner/repo case-insensitively, so keys use the
 * lower-cased full name; items keep the display spelling in attributes.
 *
 * Access patterns (pk / sk, index):
 *   delivery seen?              DELIVERY#<guid> / DELIVERY                    (conditional put, TTL 7 d)
 *   action claimed by delivery  DELIVERY#<guid> / CLAIM#<key>                 (conditional put, TTL 7 d)
 *   redelivery asked for guid   DELIVERY#<guid> / REDELIVERY                  (conditional put on attempts, TTL 7 d)
 *   scheduled pass checkpoint   CHECKPOINT#<pass> / CHECKPOINT                (forward-only conditional put)
 *   repository settings         REPO#<owner/repo> / META                     (one read for a default-branch badge)
 *   runs of a repo, newest 1st  REPO#<owner/repo> / DISPATCH#<ulid>           (query, ScanIndexForward=false)
 *   latest run of a branch      REPO#<owner/repo> / LATEST#<branch>           (one read for a badge; with named targets,
 *                                                                               the default badge target's)
 *   … of a named target         REPO#<owner/repo> / LATEST#@<target>:<branch> (`?target=` badges)
 *   dispatch by workflow run    WFRUN#<run id> / WFRUN                        (pointer, strongly consistent)
 *   jobs of a dispatch          DISPATCH#<ulid> / JOB#<job id>
 *   dispatches of a commit      gsi1-keys: COMMIT#<owner/repo>#<sha> / <ulid>  (keys only: then BatchGetItem)
 *   every repository            gsi1-keys: REPOS / <owner/repo>              (META items; projects `private` for the filter)
 *   dispatches of a branch/PR   gsi2-keys: REF#<owner/repo>#branch:<name> | pr:<n> / <ulid>  (keys only)
 *
 * Runner pool and reconciler (store/runners.ts, store/open-dispatches.ts, store/stats.ts):
 *   runner pool of a repo       REPO#<owner/repo> / FLEET                     (one item: runners, listing access, fetchedAt;
 *                                                                               version-conditional put; no TTL, it is current state)
 *   open dispatches, due first  OPEN#<shard 0-7> / <ulid>                      (one small item per dispatch not yet completed;
 *                               due: OPEN#<shard> / dueAt                      sparse index `due` (pk, dueAt): a pass queries each
 *                                                                               shard for dueAt <= now and reads only due items;
 *                                                                               `dueAt` is both the schedule and the lease — taken
 *                                                                               with a conditional update on the value read; deleted
 *                                                                               when the dispatch completes, unless a later attempt
 *                                                                               re-opened it (`attempt`); TTL = the dispatch's)
 *   job timings of a repo       STATS#<owner/repo> / <ulid>#<job id>          (queue and run seconds, label set; query sk >= the
 *                                                                               ULID time prefix of 7 days ago; TTL 8 d)
 *
 * Smoke-test results (store/dispatch-smoke.ts, run-results.ts, run-tests.ts, test-catalogs.ts, test-standing.ts,
 * test-runs.ts, ref-smoke.ts; packing in store/test-pack.ts, outcome codes in store/test-history-codec.ts;
 * <ref> = branch:<name> | pr:<n>, prefixed `@<target>:` for a named target; <target> = the config's target, `default` for a single-target
 * config; all with TTL history_days):
 *   latest counts of a run      the dispatch item's `smoke` attribute          (lists and badges need no extra read)
 *   results of a run attempt    DISPATCH#<ulid> / RESULT#<attempt, 3 digits>   (counts, deciding rule, rendered section, flaky tests)
 *   every test of a run, packed RUNS#<owner/repo>#<target>#<ref> / <ulid>#<attempt>[#<part>]
 *                                                                              (outcome code and duration per catalog test, deflated;
 *                                                                               a ref's recent runs newest first: one query)
 *   a ref's tests, packed       TESTS#<owner/repo>#<target>#<ref> / STANDING#<part>
 *                                                                              (catalog id, the last 20 runs, per test recent codes,
 *                                                                               last run, last flaky; version-conditional put)
 *   test names, packed          CATALOG#<owner/repo> / <catalog id>#<part>    (content-addressed: written when the set of tests changes,
 *                                                                               refreshed weekly; shared by refs and runs)
 *   a test's notable runs       TEST#<owner/repo>#<test hash> / <ulid>#<attempt>  (failing, flaky and changed tests only, ≤ 100 a run)
 *   a ref's rolling pass rate   REPO#<owner/repo> / SMOKE#<ref>                (last 20 runs with results; version-conditional put)
 *
 *   Per completed run (any number of tests): 1 put RESULT, 1 conditional update of the dispatch,
 *   1 put RUNS# (a part per 350 KB packed), 1 get + 1 conditional put STANDING (+ its catalog read),
 *   1 get + 1 conditional put SMOKE#, ⌈k/25⌉ BatchWriteItem TEST# for k ≤ 100 notable tests, and
 *   the catalog's parts only when the set of tests changed (or weekly, to move its TTL). Every
 *   partition takes at most a few items per run: none is written faster than 100 items a second.
 *
 * Artifact sizes (store/artifact-sizes.ts; the sizes from the run's artifact list, nothing downloaded):
 *   a ref's artifact sizes,     ARTSIZES#<owner/repo>#<ref> / <ulid>#<attempt>  (one put per completed run; query newest
 *     newest first                                                               first: the base's latest, the dashboard's
 *                                                                                 chart; TTL history_days)
 *
 * Trust (store/approvals.ts, store/author-permissions.ts): REPO#<owner/repo> / APPROVAL#<sha>,
 * OKTOTEST#<pr>, AUTHORPERM#<pr>#<sha>#<login>.
 */
import { createHash } from 'node:crypto';

export const repoKey = (fullName: string) => `REPO#${fullName.toLowerCase()}`;
export const deliveryKey = (guid: string) => `DELIVERY#${guid}`;
export const checkpointKey = (pass: string) => `CHECKPOINT#${pass}`;
/** Open dispatches are spread over this many partitions (a pass queries each through the `due` index). */
export const OPEN_SHARDS = 8;
export const openKey = (dispatchId: string) => `OPEN#${parseInt(createHash('sha256').update(dispatchId).digest('hex').slice(0, 8), 16) % OPEN_SHARDS}`;
/** Where open dispatches lived before sharding; passes still look there until its items are gone. */
export const LEGACY_OPEN_KEY = 'OPEN';
export const statsKey = (fullName: string) => `STATS#${fullName.toLowerCase()}`;
export const dispatchSk = (dispatchId: string) => `DISPATCH#${dispatchId}`;
export const latestSk = (branch: string) => `LATEST#${branch}`;
/** A named target's latest run of a branch (`:` never occurs in a branch name, so no branch looks like one). */
export const latestTargetSk = (target: string, branch: string) => `LATEST#@${target}:${branch}`;
export const workflowRunKey = (runId: number) => `WFRUN#${runId}`;
export const dispatchKey = (dispatchId: string) => `DISPATCH#${dispatchId}`;
export const jobSk = (jobId: number) => `JOB#${jobId}`;
export const commitIndexKey = (fullName: string, sha: string) => `COMMIT#${fullName.toLowerCase()}#${sha}`;
export const refIndexKey = (fullName: string, ref: { branch?: string | null; pr?: number | null }) =>
  ref.pr ? `REF#${fullName.toLowerCase()}#pr:${ref.pr}` : `REF#${fullName.toLowerCase()}#branch:${ref.branch ?? ''}`;

const DAY_SECONDS = 86_400;
export const ttlAfter = (now: Date, days: number) => Math.floor(now.getTime() / 1000) + Math.round(days * DAY_SECONDS);

// Smoke-test results

/**
 * A branch run or a pull request's runs: results are compared and listed per ref, and per target
 * for a repository with named targets (`@dgx:branch:main`; a plain ref never starts with `@`). A
 * dispatch item passes its own `target`, so its history is its target's.
 */
export const refName = (ref: { branch?: string | null; pr?: number | null; target?: string | null }) => {
  const plain = ref.pr ? `pr:${ref.pr}` : `branch:${ref.branch ?? ''}`;
  return ref.target ? `@${ref.target}:${plain}` : plain;
};
const pad = (attempt: number) => String(attempt).padStart(3, '0');
/** `<dispatch ulid>#<attempt>`: sorts by time, then attempt. */
export const runKey = (dispatchId: string, attempt: number) => `${dispatchId}#${pad(attempt)}`;
export const resultSk = (attempt: number) => `RESULT#${pad(attempt)}`;
export const testKey = (repo: string, hash: string) => `TEST#${repo.toLowerCase()}#${hash}`;
export const runTestsKey = (repo: string, target: string, ref: string) => `RUNS#${repo.toLowerCase()}#${target}#${ref}`;
export const standingKey = (repo: string, target: string, ref: string) => `TESTS#${repo.toLowerCase()}#${target}#${ref}`;
export const standingSk = (part: number) => `STANDING#${part}`;
export const catalogKey = (repo: string) => `CATALOG#${repo.toLowerCase()}`;
export const catalogSk = (catalog: string, part: number) => `${catalog}#${part}`;
export const refSmokeSk = (ref: string) => `SMOKE#${ref}`;
export const artifactSizesKey = (repo: string, ref: string) => `ARTSIZES#${repo.toLowerCase()}#${ref}`;

/** Test ids can be long (suite path + class + name): keys use a hash, items keep the id. */
export function testHash(testId: string): string {
  return createHash('sha256').update(testId).digest('hex').slice(0, 20);
}
