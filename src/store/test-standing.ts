/**
 * A ref's tests and how each has fared recently (TESTS#<owner/repo>#<target>#<ref> / STANDING#<part>):
 * one packed item for all of them (./test-pack.ts) instead of one item per test — its catalog,
 * the ref's latest runs, and per test the recent codes, the run it was last seen in and when it
 * was last flaky. A test not reported for RECENT_RUNS runs drops out. Version-conditional puts;
 * the worker handles one repository's events at a time anyway. History: carries `ttl`. Keys: ./keys.ts.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Outcome } from '../core/test-results';
import type { StoreContext } from './dynamo';
import { batchGet, getItem, ifCondition } from './dynamo';
import { standingKey, standingSk } from './keys';
import { getCatalog } from './test-catalogs';
import { outcomeCode, outcomeOfCode, pushRecent, RECENT_RUNS, recentStats, type RunOutcomeCode } from './test-history-codec';
import {
  ABSENT,
  decodeStanding,
  encodeStanding,
  joinParts,
  splitParts,
  type CatalogTest,
  type PackedRun,
  type StandingTest,
} from './test-pack';

/** A run in a standing's window. */
export interface StandingRun {
  /** `<dispatch ulid>#<attempt>` (./keys.ts runKey). */
  run: string;
  sha: string;
  at: string;
}

export interface StandingItem {
  pk: string;
  sk: string;
  type: 'test-standing';
  repo: string;
  target: string;
  ref: string;
  catalog: string;
  /** The catalog item's TTL when this standing last wrote or refreshed it. */
  catalogTtl: number;
  tests: number;
  runs: StandingRun[];
  parts: number;
  data: Uint8Array;
  version: number;
  updatedAt: string;
  ttl: number;
}

export interface Standing {
  item: StandingItem;
  catalog: CatalogTest[];
  tests: StandingTest[];
}

/** A test as one run reported it (merged across its result files). */
export interface RunTest extends CatalogTest {
  outcome: Outcome;
  code: RunOutcomeCode;
  flaky: boolean;
  durationSeconds: number | null;
}

// ---------------------------------------------------------------------------------------------
// Moving a standing forward (pure)

export interface Advanced {
  catalog: CatalogTest[];
  tests: StandingTest[];
  runs: StandingRun[];
  /** This run in the new catalog's order. */
  packed: PackedRun;
  /** Tests whose outcome differs from their last one on the ref. */
  changed: Set<string>;
  /** The run was already counted (a retried message): nothing moved. */
  repeated: boolean;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function advanceStanding(
  old: { catalog: CatalogTest[]; tests: StandingTest[]; runs: StandingRun[] } | null,
  run: StandingRun,
  tests: readonly RunTest[],
  window = RECENT_RUNS,
): Advanced {
  const current = new Map(tests.map((t) => [t.id, t]));
  const repeated = old?.runs[0]?.run === run.run;
  const entries = new Map<string, { meta: CatalogTest; standing: StandingTest }>();
  const changed = new Set<string>();
  old?.catalog.forEach((meta, i) => {
    const s = old.tests[i];
    if (!s) return;
    if (repeated) return entries.set(meta.id, { meta, standing: s });
    const last = s.last + 1;
    if (last < window || current.has(meta.id)) entries.set(meta.id, { meta, standing: { ...s, last } });
  });
  if (!repeated) {
    for (const t of tests) {
      const prev = entries.get(t.id)?.standing;
      const code = outcomeCode(t.outcome, t.flaky);
      if (prev && prev.recent !== '' && prev.recent[0]!.toUpperCase() !== code.toUpperCase()) changed.add(t.id);
      entries.set(t.id, {
        meta: { id: t.id, name: t.name, classname: t.classname, file: t.file },
        standing: {
          recent: pushRecent(prev?.recent ?? '', code, window),
          last: 0,
          flaky: t.flaky ? { sha: run.sha, at: run.at } : (prev?.flaky ?? null),
        },
      });
    }
  }
  const sorted = [...entries.values()].sort((a, b) => byId(a.meta, b.meta));
  return {
    catalog: sorted.map((e) => e.meta),
    tests: sorted.map((e) => e.standing),
    runs: repeated ? old!.runs : [run, ...(old?.runs ?? [])].slice(0, window),
    packed: {
      codes: sorted.map((e) => current.get(e.meta.id)?.code ?? ABSENT).join(''),
      durations: sorted.map((e) => current.get(e.meta.id)?.durationSeconds ?? null),
    },
    changed,
    repeated,
  };
}

// ---------------------------------------------------------------------------------------------
// Reads and writes

interface StandingKey {
  repo: string;
  target: string;
  ref: string;
}

/** The ref's standing with its catalog, or null (no runs with results yet, or expired). */
export async function getStanding(ctx: StoreContext, k: StandingKey, opts: { consistent: boolean }): Promise<Standing | null> {
  const pk = standingKey(k.repo, k.target, k.ref);
  const first = await getItem<StandingItem>(ctx, { pk, sk: standingSk(0) }, opts);
  if (!first) return null;
  const rest =
    first.parts > 1
      ? await batchGet<StandingItem>(ctx, Array.from({ length: first.parts - 1 }, (_, i) => ({ pk, sk: standingSk(i + 1) })), opts)
      : [];
  if (rest.length !== first.parts - 1 || rest.some((r) => r.version !== first.version)) return null;
  const catalog = await getCatalog(ctx, k.repo, first.catalog);
  if (!catalog) return null;
  const parts = [first, ...rest.sort((a, b) => a.sk.localeCompare(b.sk, 'en', { numeric: true }))];
  return { item: first, catalog, tests: decodeStanding(joinParts(parts.map((p) => p.data))) };
}

/**
 * Writes the standing; `expectVersion` is the version read (0: none existed). False when another
 * writer got there first (the caller re-reads and tries again).
 */
export async function putStanding(
  ctx: StoreContext,
  k: StandingKey & { catalog: string; catalogTtl: number; runs: StandingRun[]; tests: StandingTest[]; now: Date; ttl: number },
  expectVersion: number,
): Promise<boolean> {
  const parts = splitParts(encodeStanding(k.tests));
  const version = expectVersion + 1;
  const pk = standingKey(k.repo, k.target, k.ref);
  const item = (i: number): StandingItem => ({
    pk,
    sk: standingSk(i),
    type: 'test-standing',
    repo: k.repo,
    target: k.target,
    ref: k.ref,
    catalog: k.catalog,
    catalogTtl: k.catalogTtl,
    tests: k.tests.length,
    runs: k.runs,
    parts: parts.length,
    data: parts[i]!,
    version,
    updatedAt: k.now.toISOString(),
    ttl: k.ttl,
  });
  // Extra parts first, part 0 last and conditional: readers check every part carries part 0's version.
  for (let i = parts.length - 1; i >= 1; i--) await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item(i) }));
  const written = await ifCondition(
    ctx.doc.send(
      new PutCommand({
        TableName: ctx.table,
        Item: item(0),
        ConditionExpression: expectVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
        ...(expectVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectVersion } }),
      }),
    ),
  );
  return written !== null;
}

// ---------------------------------------------------------------------------------------------
// A ref's tests, as the API and the repository page list them

export interface RefTest extends CatalogTest {
  recent: string;
  passRate: number | null;
  /** Runs in `recent` that ran the test (skips excluded). */
  runs: number;
  flaky: boolean;
  lastOutcome: Outcome;
  lastRun: string;
  lastSha: string;
  lastAt: string;
  lastFlakySha: string | null;
  lastFlakyAt: string | null;
}

/** Every test of the standing, most recently run first (then by id). */
export function refTests(s: Standing): RefTest[] {
  const out: (RefTest & { last: number })[] = [];
  s.catalog.forEach((meta, i) => {
    const t = s.tests[i];
    const run = t ? s.item.runs[t.last] : undefined;
    if (!t || !run) return;
    const stats = recentStats(t.recent);
    out.push({
      ...meta,
      recent: t.recent,
      passRate: stats.rate,
      runs: stats.ran,
      flaky: stats.flaky,
      lastOutcome: outcomeOfCode(t.recent[0] ?? '') ?? 'skipped',
      lastRun: run.run,
      lastSha: run.sha,
      lastAt: run.at,
      lastFlakySha: t.flaky?.sha ?? null,
      lastFlakyAt: t.flaky?.at ?? null,
      last: t.last,
    });
  });
  return out.sort((a, b) => a.last - b.last || byId(a, b)).map(({ last: _last, ...t }) => t);
}
