import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { chunk } from '../core/chunk';
import { tableDefinition } from './schema';

export interface StoreContext {
  doc: DynamoDBDocumentClient;
  table: string;
}

/** A position in a listing: DynamoDB's LastEvaluatedKey, given back as ExclusiveStartKey. */
export type StoreKey = Record<string, unknown>;

/**
 * A page of a listing and where the next one starts (null: this was the last). The key is the
 * store's own: the web layer seals it before it leaves the server (src/http/cursors.ts).
 */
export interface Page<T> {
  items: T[];
  lastKey: StoreKey | null;
}

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    // A webhook must be answered within GitHub's 10 s: fail fast and answer 503 rather than hang
    // (2 attempts × 2 s stays well inside it, even when DynamoDB hangs instead of refusing).
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
    ...config,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Local endpoints (dynalite) accept any credentials; pass dummies so the SDK never looks for real ones. */
export function localClientConfig(endpoint: string): DynamoDBClientConfig {
  return {
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}

/** Creates the table as the CDK stack defines it (used locally and in tests; AWS gets it from CDK). */
export async function ensureTable(client: DynamoDBDocumentClient, table: string): Promise<void> {
  try {
    const d = await client.send(new DescribeTableCommand({ TableName: table }));
    // A table an earlier version created (the local server keeps its data in DATA_DIR) may lack an
    // index this version queries; dynalite cannot add one, so say what to do instead of failing later.
    const have = new Set((d.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    const missing = (tableDefinition(table).GlobalSecondaryIndexes ?? []).map((i) => i.IndexName!).filter((n) => !have.has(n));
    if (missing.length > 0)
      throw new Error(
        `table ${table} was created by an earlier version and lacks the index${missing.length > 1 ? 'es' : ''} ${missing.join(', ')}: ` +
          'start with an empty data directory (DATA_DIR, default .data) or another TABLE_NAME',
      );
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && (err as Error).name !== 'ResourceNotFoundException') throw err;
  }
  await client.send(new CreateTableCommand(tableDefinition(table)));
  // dynalite creates tables asynchronously unless createTableMs is 0; wait until ACTIVE either way.
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: table }));
    if (d.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`table ${table} did not become ACTIVE`);
}

export function isConditionFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

// ---------------------------------------------------------------------------------------------
// Conditional writes

/**
 * A conditional write's response, or null when its condition failed (another writer got there
 * first, or the item is not there): the one way the store tells a lost race from an error.
 */
export async function ifCondition<T>(write: Promise<T>): Promise<T | null> {
  try {
    return await write;
  } catch (err) {
    if (isConditionFailed(err)) return null;
    throw err;
  }
}

/** Puts the item unless one with its key exists; returns the stored one either way, and whether this call wrote it. */
export async function putOnce<T extends { pk: string; sk: string }>(ctx: StoreContext, item: T): Promise<{ item: T; created: boolean }> {
  const put = new PutCommand({ TableName: ctx.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
  if (await ifCondition(ctx.doc.send(put))) return { item, created: true };
  const existing = await getItem<T>(ctx, { pk: item.pk, sk: item.sk }, { consistent: true });
  if (!existing) throw new Error(`${item.pk} ${item.sk} vanished after a failed conditional put`);
  return { item: existing, created: false };
}

// ---------------------------------------------------------------------------------------------
// Reads

/** One item by key, or null. `consistent`: strongly consistent, for a read that decides a write. */
export async function getItem<T>(ctx: StoreContext, key: { pk: string; sk: string }, opts: { consistent: boolean }): Promise<T | null> {
  const r = await ctx.doc.send(
    new GetCommand({ TableName: ctx.table, Key: key, ...(opts.consistent ? { ConsistentRead: true } : {}) }),
  );
  return (r.Item as T | undefined) ?? null;
}

/** A key condition (e.g. `pk = :pk AND begins_with(sk, :p)`) and where and how to read it. */
export interface ItemQuery {
  where: string;
  values: Record<string, unknown>;
  /** Applied after the read: DynamoDB's Limit and 1 MB page count the items before it. */
  filter?: string;
  names?: Record<string, string>;
  /** A global secondary index by name (always eventually consistent). */
  index?: string;
  /** Sort key descending (DynamoDB's ScanIndexForward: false). */
  descending?: boolean;
  consistent?: boolean;
  /**
   * Only these attributes (dotted for a map's member: `comparison.baselineDispatchId`); all when
   * absent. Read units are the same (DynamoDB charges the whole item); what is sent, parsed and
   * unmarshalled is less.
   */
  fields?: readonly string[];
}

/** A ProjectionExpression over `fields`, every name a placeholder (`state`, `status`… are reserved words). */
function projection(fields: readonly string[]): { expr: string; names: Record<string, string> } {
  const names: Record<string, string> = {};
  const index = new Map<string, string>();
  const name = (part: string) => {
    let n = index.get(part);
    if (!n) {
      n = `#p${index.size}`;
      index.set(part, n);
      names[n] = part;
    }
    return n;
  };
  return { expr: fields.map((f) => f.split('.').map(name).join('.')).join(', '), names };
}

/** Which page of a listing: at most `limit` items, starting after `after` (a page's `lastKey`). */
export interface PageRequest {
  limit?: number;
  after?: StoreKey | null;
}

/** One page of a query: at most `limit` items (DynamoDB's own 1 MB page without one) and where the next starts. */
export async function queryPage<T>(ctx: StoreContext, q: ItemQuery, page: PageRequest = {}): Promise<Page<T>> {
  const only = q.fields ? projection(q.fields) : null;
  const names = only ? { ...q.names, ...only.names } : q.names;
  const r = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.table,
      ...(q.index ? { IndexName: q.index } : {}),
      KeyConditionExpression: q.where,
      ...(q.filter ? { FilterExpression: q.filter } : {}),
      ...(only ? { ProjectionExpression: only.expr } : {}),
      ...(names ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: q.values,
      ...(q.descending ? { ScanIndexForward: false } : {}),
      ...(q.consistent ? { ConsistentRead: true } : {}),
      ...(page.limit !== undefined ? { Limit: page.limit } : {}),
      ExclusiveStartKey: page.after ?? undefined,
    }),
  );
  return { items: (r.Items ?? []) as T[], lastKey: r.LastEvaluatedKey ?? null };
}

/** Listings page by this many items unless the reader asks for another number. */
const LISTING_PAGE = 25;

/** A page of a listing as readers ask for it: newest (highest sort key) first. */
export function newestFirst<T>(ctx: StoreContext, q: ItemQuery, page: PageRequest = {}): Promise<Page<T>> {
  return queryPage<T>(ctx, { ...q, descending: true }, { limit: page.limit ?? LISTING_PAGE, after: page.after });
}

/** The items of a query across its pages, stopping once `max` are read. */
export async function queryAll<T>(ctx: StoreContext, q: ItemQuery, max = Infinity): Promise<T[]> {
  const items: T[] = [];
  let after: StoreKey | null = null;
  do {
    const page: Page<T> = await queryPage<T>(ctx, q, { after });
    items.push(...page.items);
    after = page.lastKey;
  } while (after && items.length < max);
  return items;
}

// ---------------------------------------------------------------------------------------------
// Batches

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** DynamoDB returns what it could not take under load; back off and resend, then give up (the queue retries). */
const BATCH_TRIES = 6;

/** Puts independent items with BatchWriteItem, 25 per request, resending what was left unprocessed. Returns the requests sent. */
export async function batchPut(ctx: StoreContext, items: object[]): Promise<number> {
  let requests = 0;
  for (const group of chunk(items, 25)) {
    let pending: Record<string, unknown>[] = group.map((Item) => ({ PutRequest: { Item } }));
    for (let tries = 0; pending.length > 0; tries++) {
      if (tries >= BATCH_TRIES) throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${tries} tries`);
      if (tries > 0) await sleep(20 * 2 ** tries);
      const r = await ctx.doc.send(new BatchWriteCommand({ RequestItems: { [ctx.table]: pending as never } }));
      requests++;
      pending = (r.UnprocessedItems?.[ctx.table] ?? []) as Record<string, unknown>[];
    }
  }
  return requests;
}

/**
 * Reads items by key with BatchGetItem, 100 per request, resending what was left unprocessed;
 * missing items are absent from the result. `consistent: false` suits a dashboard, which may lag a second.
 */
export async function batchGet<T>(ctx: StoreContext, keys: { pk: string; sk: string }[], opts: { consistent: boolean }): Promise<T[]> {
  const out: T[] = [];
  for (const group of chunk(keys, 100)) {
    let pending: Record<string, unknown>[] = group;
    for (let tries = 0; pending.length > 0; tries++) {
      if (tries >= BATCH_TRIES) throw new Error(`DynamoDB left ${pending.length} reads unprocessed after ${tries} tries`);
      if (tries > 0) await sleep(20 * 2 ** tries);
      const r = await ctx.doc.send(
        new BatchGetCommand({
          RequestItems: { [ctx.table]: opts.consistent ? { Keys: pending, ConsistentRead: true } : { Keys: pending } },
        }),
      );
      out.push(...((r.Responses?.[ctx.table] ?? []) as T[]));
      pending = (r.UnprocessedKeys?.[ctx.table]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return out;
}

/** Items a single partition key may take per second, so no key runs hot (DynamoDB allows 1,000 WCU a second per partition). */
const ITEMS_PER_KEY_PER_SECOND = 100;
/** When each partition key was last written, per process: what batchPutPaced paces against. */
const written = new Map<string, number[]>();

/**
 * batchPut, but no partition key takes more than `perSecond` items in any second (in this process):
 * a batch that would exceed it waits. Items of distinct keys (the usual case) never wait.
 */
export async function batchPutPaced(ctx: StoreContext, items: (object & { pk?: unknown })[], perSecond = ITEMS_PER_KEY_PER_SECOND): Promise<number> {
  let requests = 0;
  for (const group of chunk(items, 25)) {
    const counts = new Map<string, number>();
    for (const i of group) counts.set(String(i.pk), (counts.get(String(i.pk)) ?? 0) + 1);
    for (;;) {
      const now = Date.now();
      let wait = 0;
      for (const [pk, n] of counts) {
        const times = (written.get(pk) ?? []).filter((t) => now - t < 1000);
        written.set(pk, times);
        if (times.length + n > perSecond) wait = Math.max(wait, 1000 - (now - times[times.length + n - perSecond - 1]!));
      }
      if (wait <= 0) break;
      await sleep(wait);
    }
    const now = Date.now();
    for (const [pk, n] of counts) written.get(pk)!.push(...Array<number>(n).fill(now));
    requests += await batchPut(ctx, group);
  }
  for (const [pk, times] of written) if (times.every((t) => Date.now() - t >= 1000)) written.delete(pk);
  return requests;
}
