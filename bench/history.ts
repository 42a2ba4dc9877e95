// 4. Flat with history: the badge and the repository page of a repository with 1 stored run and of
// one with 100,000, in the same table; and what one uncached badge costs in read units.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { createDocumentClient, ensureTable, localClientConfig, type StoreContext } from '../src/store/dynamo';
import { dispatchItem, type DispatchItem } from '../src/store/dispatches';
import { recordLatest, upsertRepo } from '../src/store/repos';
import { createReadApp } from '../src/wiring/app';
import { meterCapacity } from './lib/capacity';
import { sinkLogger } from './lib/contenders';
import { startDynamoChild } from './lib/processes';
import { median, quantile, round } from './lib/stats';

export const SMALL = 'bench-org/one-run';
/** As many runs as the repository page lists: the page renders the same rows as for LARGE. */
export const PAGE = 'bench-org/one-page';
export const LARGE = 'bench-org/long-history';
const TABLE = 'history';
/** Anything that changes what a seeded item looks like must invalidate the cached data. */
const SHAPE_FILES = ['src/store/dispatches.ts', 'src/store/repos.ts', 'src/store/keys.ts', 'src/store/schema.ts', 'bench/history.ts'];

export interface HistoryResult {
  runs: { small: number; large: number };
  seed: { reused: boolean; seconds: number; itemsPerSec: number | null };
  requestsPerRound: number;
  rounds: number;
  /** Median (and p99) wall ms per request, in-process web app against the store in another process. */
  badge: { smallMs: number; largeMs: number; smallP99Ms: number; largeP99Ms: number; ratio: number };
  page: { smallMs: number; largeMs: number; smallP99Ms: number; largeP99Ms: number; ratio: number };
  /** The page with 50 runs (one full page) against LARGE: the same rows rendered, only history differs. */
  pageFull: { smallMs: number; largeMs: number; smallP99Ms: number; largeP99Ms: number; ratio: number };
  /** Store-reported consumed capacity of one uncached default-branch badge and of one page view. */
  capacity: { badgeRead: number; pageRead: number };
}

function run(repo: string, n: number, at: number, newId: (t: number) => string): DispatchItem {
  const createdAt = new Date(at).toISOString();
  const pr = n % 5 === 0 ? 1000 + (n % 300) : null;
  const sha = createHash('sha1').update(`${repo}:${n}`).digest('hex');
  return {
    ...dispatchItem({
      dispatchId: newId(at),
      repo,
      installationId: 1,
      private: false,
      sha,
      branch: pr ? `feature-${n % 300}` : 'main',
      pr,
      trigger: pr ? 'pull_request' : 'push',
      actor: `dev${n % 40}`,
      deliveryId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      workflow: 'arm64-ci.yml',
      ref: 'main',
      runnerLabels: ['self-hosted', 'arm64', 'dgx'],
      inputs: { 'python-versions': '["3.10","3.11"]' },
      checkName: 'arm64 CI',
      checkRunId: 500_000 + n,
      state: 'completed',
      progress: 16,
      attempt: 1,
      conclusion: n % 9 === 0 ? 'failure' : 'success',
      workflowRunId: 900_000 + n,
      workflowRunUrl: `https://github.com/${repo}/actions/runs/${900_000 + n}`,
      notes: [],
      createdAt,
      dispatchedAt: createdAt,
      startedAt: createdAt,
      completedAt: createdAt,
      historyDays: 3650,
    }),
  };
}

async function seedRepo(store: StoreContext, repo: string, count: number, concurrency = 4): Promise<void> {
  const newId = monotonicFactory();
  const start = Date.parse('2020-01-01T00:00:00Z');
  let last: DispatchItem | null = null;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + 25);
      const items: DispatchItem[] = [];
      for (let n = from; n < next; n++) items.push(run(repo, n, start + n * 60_000, newId));
      last = items[items.length - 1]!;
      let pending = items.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length) {
        const r = await store.doc.send(new BatchWriteCommand({ RequestItems: { [store.table]: pending } }));
        pending = (r.UnprocessedItems?.[store.table] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const now = new Date();
  await upsertRepo(store, { repo, private: false, defaultBranch: 'main', installationId: 1, now });
  const newest = last as unknown as DispatchItem;
  await recordLatest(store, {
    repo,
    branch: 'main',
    isDefaultBranch: true,
    run: {
      dispatchId: newest.dispatchId,
      progress: newest.progress,
      state: newest.state,
      conclusion: newest.conclusion,
      sha: newest.sha,
      updatedAt: newest.updatedAt,
      smoke: null,
    },
  });
}

function cacheKey(large: number): string {
  const h = createHash('sha256').update(`runs=${large}`);
  for (const f of SHAPE_FILES) h.update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

async function timeRoute(app: { fetch(r: Request): Response | Promise<Response> }, path: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await app.fetch(new Request(`http://bench.local${path}`));
    await res.arrayBuffer();
    out.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  return out;
}

export async function runHistory(opts: { large?: number; n?: number; rounds?: number; cacheDir?: string } = {}): Promise<HistoryResult> {
  const large = opts.large ?? 100_000;
  const n = opts.n ?? 200;
  const rounds = opts.rounds ?? 5;
  const key = cacheKey(large);
  const cacheDir = opts.cacheDir ?? 'bench/.cache';
  const prefix = `history-${large}-`;
  const dir = `${cacheDir}/${prefix}${key}`;
  // A store of this size seeded for an older item shape is of no further use.
  if (existsSync(cacheDir)) {
    for (const d of readdirSync(cacheDir)) {
      if ((d.startsWith(prefix) || /^history-[0-9a-f]{16}$/.test(d)) && `${cacheDir}/${d}` !== dir) rmSync(`${cacheDir}/${d}`, { recursive: true, force: true });
    }
  }
  const reused = existsSync(`${dir}/.seeded`);
  if (!reused) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const dynamo = await startDynamoChild(dir);
  try {
    const doc = createDocumentClient(localClientConfig(dynamo.ready.endpoint));
    const store: StoreContext = { doc, table: TABLE };
    let seconds = 0;
    if (!reused) {
      await ensureTable(doc, TABLE);
      const t0 = performance.now();
      await seedRepo(store, SMALL, 1);
      await seedRepo(store, PAGE, 50);
      await seedRepo(store, LARGE, large);
      seconds = (performance.now() - t0) / 1000;
      writeFileSync(`${dir}/.seeded`, JSON.stringify({ large, seconds }));
    } else {
      seconds = (JSON.parse(readFileSync(`${dir}/.seeded`, 'utf8')) as { seconds: number }).seconds;
    }

    const meter = meterCapacity(doc);
    const app = createReadApp({ store, log: sinkLogger(), publicUrl: 'https://ci.example.test' });
    const badge = (repo: string) => `/badges/${repo}/status.svg`;
    const page = (repo: string) => `/repos/${repo}`;

    meter.reset();
    await timeRoute(app, badge(LARGE), 1);
    const badgeRead = meter.read;
    meter.reset();
    await timeRoute(app, page(LARGE), 1);
    const pageRead = meter.read;

    const paths = [badge(SMALL), badge(LARGE), page(SMALL), page(PAGE), page(LARGE)];
    for (const p of paths) await timeRoute(app, p, 50); // warm-up
    const samples: Record<string, number[]> = Object.fromEntries(paths.map((p) => [p, []]));
    for (let r = 0; r < rounds; r++) for (const p of paths) samples[p]!.push(...(await timeRoute(app, p, n)));
    const stat = (a: string, b: string) => {
      const s = median(samples[a]!);
      const l = median(samples[b]!);
      return {
        smallMs: round(s, 3),
        largeMs: round(l, 3),
        smallP99Ms: round(quantile(samples[a]!, 0.99), 3),
        largeP99Ms: round(quantile(samples[b]!, 0.99), 3),
        ratio: round(l / s),
      };
    };
    doc.destroy();
    return {
      runs: { small: 1, large },
      seed: { reused, seconds: round(seconds, 1), itemsPerSec: reused ? null : round((large + 1) / seconds, 0) },
      requestsPerRound: n,
      rounds,
      badge: stat(badge(SMALL), badge(LARGE)),
      page: stat(page(SMALL), page(LARGE)),
      pageFull: stat(page(PAGE), page(LARGE)),
      capacity: { badgeRead, pageRead },
    };
  } finally {
    await dynamo.close();
  }
}
