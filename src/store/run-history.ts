/**
 * Stores what one run attempt's tests did, at a cost that does not grow with the number of tests:
 * the packed run (./run-tests.ts), the ref's packed standing (./test-standing.ts), the catalog
 * only when the set of tests changed (./test-catalogs.ts), and a per-test record (./test-runs.ts)
 * only for the few tests worth a history of their own: failing, flaky, or changed since their last
 * run on the ref. Write counts: ./keys.ts. Also reads a run back in catalog terms.
 */
import type { TimedTest } from '../core/compare/tests';
import { isFailing } from '../core/test-results';
import { DEFAULT_TARGET } from '../core/default-target';
import { testHash } from './keys';
import { legacyTimedTests, type RunResultItem } from './run-results';
import { outcomeOfRunCode, type RunOutcomeCode } from './test-history-codec';
import type { StoreContext } from './dynamo';
import { batchPutPaced } from './dynamo';
import { getRunTests, putRunTests, recentRunTests, type RunTests, type RunTestsKey } from './run-tests';
import { getCatalog, putCatalogOnce } from './test-catalogs';
import { encodeCatalog, ABSENT, type CatalogTest } from './test-pack';
import { advanceStanding, getStanding, putStanding, type RunTest } from './test-standing';
import { testRunItem } from './test-runs';

/** Per-test records written per run at most (failing first): the packed run has every test anyway. */
const MAX_NOTABLE_TESTS = 100;
/** A catalog is rewritten (its TTL moved on) when it would expire within this of the runs naming it. */
const CATALOG_REFRESH_SECONDS = 7 * 86_400;

export interface RunHistoryContext extends RunTestsKey {
  sha: string;
  at: Date;
  ttl: number;
}

export interface RecordedRun {
  /** Items written. */
  items: number;
  /** Tests with a per-test record this run. */
  notable: number;
}

export async function recordRunTests(ctx: StoreContext, run: RunHistoryContext, tests: readonly RunTest[]): Promise<RecordedRun> {
  const key = { repo: run.repo, target: run.target, ref: run.ref };
  for (let tries = 0; ; tries++) {
    const old = await getStanding(ctx, key, { consistent: true });
    const at = run.at.toISOString();
    const adv = advanceStanding(old ? { catalog: old.catalog, tests: old.tests, runs: old.item.runs } : null, { run: `${run.dispatchId}#${String(run.attempt).padStart(3, '0')}`, sha: run.sha, at }, tests);
    const catalog = encodeCatalog(adv.catalog);
    let items = 0;
    let catalogTtl = old?.item.catalogTtl ?? 0;
    if (!(old && old.item.catalog === catalog.id && catalogTtl >= run.ttl - CATALOG_REFRESH_SECONDS)) {
      items += await putCatalogOnce(ctx, { repo: run.repo, id: catalog.id, bytes: catalog.bytes, tests: adv.catalog.length, ttl: run.ttl });
      catalogTtl = run.ttl;
    }
    items += await putRunTests(ctx, { ...run, catalog: catalog.id }, adv.packed);
    if (!adv.repeated) {
      const ok = await putStanding(
        ctx,
        { ...key, catalog: catalog.id, catalogTtl, runs: adv.runs, tests: adv.tests, now: run.at, ttl: run.ttl },
        old?.item.version ?? 0,
      );
      if (!ok) {
        if (tries >= 4) throw new Error(`the test standing of ${run.ref} kept changing under this run`);
        continue;
      }
      items++;
    }
    const notable = tests
      .filter((t) => isFailing(t.outcome) || t.code === 'X' || t.flaky || adv.changed.has(t.id))
      .sort((a, b) => Number(isFailing(b.outcome)) - Number(isFailing(a.outcome)))
      .slice(0, MAX_NOTABLE_TESTS);
    await batchPutPaced(ctx, notable.map((t) => testRunItem(run, t)));
    return { items: items + notable.length, notable: notable.length };
  }
}

/** A run's tests with their outcome codes (absent ones left out), in catalog order; null when not stored. */
export interface RunTestList {
  run: RunTests;
  tests: (CatalogTest & { code: string; durationSeconds: number | null })[];
}

export async function readRunTests(
  ctx: StoreContext,
  k: RunTestsKey,
  catalogs: Map<string, CatalogTest[] | null> = new Map(),
): Promise<RunTestList | null> {
  const run = await getRunTests(ctx, k);
  if (!run) return null;
  if (!catalogs.has(run.catalog)) catalogs.set(run.catalog, await getCatalog(ctx, k.repo, run.catalog));
  const catalog = catalogs.get(run.catalog);
  if (!catalog) return null;
  const tests: RunTestList['tests'] = [];
  catalog.forEach((t, i) => {
    const code = run.codes[i];
    if (code && code !== ABSENT) tests.push({ ...t, code, durationSeconds: run.durations[i] ?? null });
  });
  return { run, tests };
}

/**
 * Each test's time in the latest `window` runs of a target on a ref, newest first, leaving out
 * dispatch `exclude` (the run being judged): null for a run that did not pass it or has no time.
 * One query of the packed runs and a read per distinct catalog (usually one).
 */
export async function durationHistory(
  ctx: StoreContext,
  k: { repo: string; target: string; ref: string },
  window: number,
  exclude?: string,
): Promise<Map<string, (number | null)[]>> {
  const runs = await recentRunTests(ctx, k, window, exclude);
  const catalogs = new Map<string, CatalogTest[] | null>();
  const out = new Map<string, (number | null)[]>();
  for (const [r, run] of runs.entries()) {
    if (!catalogs.has(run.catalog)) catalogs.set(run.catalog, await getCatalog(ctx, k.repo, run.catalog));
    const catalog = catalogs.get(run.catalog);
    if (!catalog) continue;
    catalog.forEach((t, i) => {
      const list = out.get(t.id) ?? Array<number | null>(runs.length).fill(null);
      list[r] = run.codes[i] === 'P' ? (run.durations[i] ?? null) : null;
      out.set(t.id, list);
    });
  }
  return out;
}

/**
 * The comparison's view of a stored result (core/compare/tests.ts TimedTest, id = the test hash as
 * before): every test from the packed run (its outcome, its mean passing time); results stored
 * before packing carry their own rows.
 */
export async function timedTestsOf(ctx: StoreContext, r: RunResultItem): Promise<TimedTest[]> {
  if (r.timed) return legacyTimedTests(r);
  const list = await readRunTests(ctx, { repo: r.repo, target: r.target ?? DEFAULT_TARGET, ref: r.ref, dispatchId: r.dispatchId, attempt: r.attempt });
  return (list?.tests ?? []).map((t) => ({
    id: testHash(t.id),
    name: t.name,
    outcome: outcomeOfRunCode(t.code as RunOutcomeCode),
    durationSeconds: t.code === 'P' ? t.durationSeconds : null,
  }));
}
