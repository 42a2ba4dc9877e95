import { classifyEvent } from '../core/events';
import { httpStatus } from '../github/client';
import { listDeliveriesPage, redeliverDelivery, type AppRequester, type HookDelivery } from '../github/deliveries';
import type { Logger } from '../log';
import {
  advanceCheckpoint,
  claimRedelivery,
  getCheckpoint,
  guidStates,
  releaseRedelivery,
  type RedeliveryClaim,
} from '../store/checkpoints';
import type { StoreContext } from '../store/dynamo';
import { metrics } from '../metrics/metrics';

/**
 * GitHub never redelivers a failed webhook by itself (a 503 while DynamoDB was down, a timeout,
 * a cold start past 10 s). This pass reads the App's delivery log, finds the events we never took
 * in, and asks GitHub to send them again — at most once per pass and per guid however many passes
 * overlap, and never for an event we already accepted.
 */

interface RedeliveryDeps {
  store: StoreContext;
  /** App-JWT client: `createGitHubClients(...).app.octokit`. */
  app: AppRequester;
  log: Logger;
  now: () => Date;
}

export interface RedeliveryOptions {
  /**
   * How far back the first pass looks (no checkpoint yet). Later passes read back to their
   * checkpoint instead, however long ago: after an outage that also stopped the passes, that is
   * where the failures start. Default 30 min.
   */
  lookbackMs: number;
  /** Never further back than this, checkpoint or not (GitHub keeps deliveries 3 days). Default 24 h. */
  maxAgeMs: number;
  /** Pages of the delivery log read per pass. Default 30 (3,000 attempts). */
  maxPages: number;
  /** Deliveries per page (GitHub allows up to 100). Default 100. */
  perPage: number;
  /** Redeliveries asked for per pass. Default 50. */
  maxRedeliveries: number;
  /** Redeliveries per guid, ever: an event that keeps failing stops being retried. Default 3. */
  maxAttemptsPerGuid: number;
  /** A redelivery GitHub has not logged after this long counts as failed. Default 10 min. */
  inFlightTimeoutMs: number;
  /** Deliveries this much older than the checkpoint are still read again (GitHub logs attempts as they finish, not in id order). Default 2 min. */
  overlapMs: number;
  /** Stop asking for redeliveries after this much wall time (Lambda timeout is 2 min). Default 60 s. */
  budgetMs: number;
}

const REDELIVERY_DEFAULTS: Readonly<RedeliveryOptions> = Object.freeze({
  lookbackMs: 30 * 60_000,
  maxAgeMs: 24 * 60 * 60_000,
  maxPages: 30,
  perPage: 100,
  maxRedeliveries: 50,
  maxAttemptsPerGuid: 3,
  inFlightTimeoutMs: 10 * 60_000,
  overlapMs: 2 * 60_000,
  budgetMs: 60_000,
});

export const REDELIVERY_CHECKPOINT = 'redelivery';

export interface RedeliveryReport {
  pages: number;
  /** Delivery attempts read from the log. */
  examined: number;
  /** Guids with no 2xx attempt among those read. */
  failed: number;
  /** Guids we asked GitHub to redeliver in this pass. */
  redelivered: string[];
  /** Failed in GitHub's log but our DELIVERY item exists (e.g. we answered after GitHub's 10 s): nothing to do. */
  accepted: number;
  /** Our last answer was a 4xx (bad signature, malformed, too large): the same bytes would get the same answer. */
  refused: number;
  /** Events we do not act on. */
  ignored: number;
  /** A redelivery we asked for earlier that GitHub has not logged yet. */
  inFlight: number;
  /** Redelivered maxAttemptsPerGuid times and still failing: left alone (logged as an error). */
  exhausted: number;
  /** Another pass claimed the guid first. */
  lostRace: number;
  /** Left for the next pass (per-pass bound or time budget). */
  deferred: number;
  /** GitHub would not redeliver (404/422: gone or too old). */
  rejected: number;
  /** Redelivery requests that failed for a passing reason (claim given back). */
  errors: number;
  /** Every failed guid since the checkpoint was settled: the checkpoint moved to `checkpoint`. */
  complete: boolean;
  checkpoint: number | null;
}

/** One pass: list, decide, claim, redeliver, checkpoint. Throws only when the store or the log cannot be read. */
export async function redeliverFailed(deps: RedeliveryDeps, options: Partial<RedeliveryOptions> = {}): Promise<RedeliveryReport> {
  const opts = { ...REDELIVERY_DEFAULTS, ...options };
  const started = performance.now();
  const now = deps.now();
  const report: RedeliveryReport = {
    pages: 0,
    examined: 0,
    failed: 0,
    redelivered: [],
    accepted: 0,
    refused: 0,
    ignored: 0,
    inFlight: 0,
    exhausted: 0,
    lostRace: 0,
    deferred: 0,
    rejected: 0,
    errors: 0,
    complete: false,
    checkpoint: null,
  };

  const cp = await getCheckpoint(deps.store, REDELIVERY_CHECKPOINT);
  report.checkpoint = cp?.deliveryId ?? null;
  const floor = Math.max(
    now.getTime() - opts.maxAgeMs,
    cp ? Date.parse(cp.deliveredAt) - opts.overlapMs : now.getTime() - opts.lookbackMs,
  );
  const beyond = (d: HookDelivery) => d.deliveredAt.getTime() < floor;

  // Newest first, back to the checkpoint (or the look-back window on a first pass).
  const attempts: HookDelivery[] = [];
  let walkDone = false;
  let cursor: string | null = null;
  while (report.pages < opts.maxPages) {
    const page = await listDeliveriesPage(deps.app, { perPage: opts.perPage, cursor });
    report.pages++;
    const inside = page.deliveries.filter((d) => !beyond(d));
    attempts.push(...inside);
    if (inside.length < page.deliveries.length || !page.next) {
      walkDone = true;
      break;
    }
    cursor = page.next;
  }
  report.examined = attempts.length;

  const byGuid = new Map<string, HookDelivery[]>();
  for (const d of attempts) {
    const list = byGuid.get(d.guid);
    if (list) list.push(d);
    else byGuid.set(d.guid, [d]);
  }
  const candidates: { guid: string; newest: HookDelivery; oldest: number }[] = [];
  for (const [guid, list] of byGuid) {
    if (list.some((d) => d.statusCode >= 200 && d.statusCode < 300)) continue;
    report.failed++;
    const newest = list.reduce((a, b) => (b.id > a.id ? b : a));
    if (newest.statusCode >= 400 && newest.statusCode < 500) {
      report.refused++;
      continue;
    }
    if (!classifyEvent(newest.event, { action: newest.action ?? undefined }).handled) {
      report.ignored++;
      continue;
    }
    candidates.push({ guid, newest, oldest: Math.min(...list.map((d) => d.id)) });
  }
  // Oldest first: with a per-pass bound, the longest-waiting events go first.
  candidates.sort((a, b) => a.oldest - b.oldest);

  const states = await guidStates(
    deps.store,
    candidates.map((c) => c.guid),
  );
  let stopped = false;
  for (const c of candidates) {
    const s = states.get(c.guid)!;
    if (s.accepted) {
      report.accepted++;
      continue;
    }
    const prev: RedeliveryClaim | null = s.claim;
    if (prev && c.newest.id <= prev.lastDeliveryId && now.getTime() - Date.parse(prev.claimedAt) < opts.inFlightTimeoutMs) {
      report.inFlight++;
      continue;
    }
    if (prev && prev.attempts >= opts.maxAttemptsPerGuid) {
      report.exhausted++;
      deps.log.error('webhook delivery still failing after redeliveries: left alone', {
        guid: c.guid,
        event: c.newest.event,
        attempts: prev.attempts,
        statusCode: c.newest.statusCode,
      });
      continue;
    }
    if (stopped || report.redelivered.length >= opts.maxRedeliveries || performance.now() - started > opts.budgetMs) {
      report.deferred++;
      continue;
    }
    const mine = await claimRedelivery(deps.store, { guid: c.guid, deliveryId: c.newest.id, prev, now });
    if (!mine) {
      report.lostRace++;
      continue;
    }
    try {
      await redeliverDelivery(deps.app, c.newest.id);
      report.redelivered.push(c.guid);
      metrics.count('redeliveriesRequested');
    } catch (err) {
      const status = httpStatus(err);
      if (status === 404 || status === 422) {
        // Gone from the log or past GitHub's redelivery window: asking again will not help.
        report.rejected++;
        deps.log.warn('GitHub refused to redeliver', { guid: c.guid, deliveryId: c.newest.id, status });
        continue;
      }
      report.errors++;
      stopped = true;
      await releaseRedelivery(deps.store, mine, prev);
      deps.log.error('redelivery request failed: the next pass retries', { guid: c.guid, deliveryId: c.newest.id, status, error: err });
    }
  }

  const unsettled = report.inFlight + report.deferred + report.errors + report.lostRace;
  report.complete = walkDone && unsettled === 0;
  const newest = attempts.reduce<HookDelivery | null>((a, b) => (!a || b.id > a.id ? b : a), null);
  if (report.complete && newest && (!cp || newest.id > cp.deliveryId)) {
    await advanceCheckpoint(
      deps.store,
      REDELIVERY_CHECKPOINT,
      { deliveryId: newest.id, deliveredAt: newest.deliveredAt.toISOString() },
      now,
    );
    report.checkpoint = newest.id;
  }
  const { redelivered, ...counts } = report;
  deps.log.info('redelivery pass', { ...counts, redelivered: redelivered.length, ms: Math.round(performance.now() - started) });
  return report;
}
