/**
 * Counts DynamoDB write units as AWS bills them, for tests of what a piece of work costs: the
 * table's units from ReturnConsumedCapacity (dynalite reports them: the larger of the old and new
 * item, per KB), plus each global secondary index's, worked out from the table's definition
 * (src/store/schema.ts) because dynalite reports none: an index entry is written when an item
 * enters or leaves the index, or when an attribute the index projects changes (a key change is a
 * delete and a put). A failed conditional write is billed too (the item's size). Also counts items
 * written per partition key.
 */
import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GSI, TABLE_KEYS, type IndexDefinition } from '../../src/store/schema';

type Item = Record<string, AttributeValue>;

export interface WriteMeter {
  tableUnits: number;
  indexUnits: number;
  readonly units: number;
  /** Items written (put, updated or deleted) per partition key. */
  itemsByKey: Map<string, number>;
  /** Units per kind of item (the sort key's or partition key's prefix), to see where they go. */
  byKind: Map<string, number>;
  reset(): void;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

/** DynamoDB's item size: attribute names plus values (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html). */
export function itemBytes(item: Item): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k) + valueBytes(v);
  return n;
}

function valueBytes(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((s, x) => s + Buffer.byteLength(x), 0);
  if (v.NS) return v.NS.reduce((s, x) => s + Math.ceil(x.length / 2) + 1, 0);
  if (v.BS) return v.BS.reduce((s, x) => s + x.byteLength, 0);
  if (v.L) return 3 + v.L.reduce((s, x) => s + 1 + valueBytes(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((s, [k, x]) => s + 1 + Buffer.byteLength(k) + valueBytes(x), 0);
  return 0;
}

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
/** AWS counts 100 bytes of overhead per index entry. */
const INDEX_ENTRY_OVERHEAD = 100;

function indexUnits(def: IndexDefinition, before: Item | null, after: Item | null): number {
  const keys = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, def.partitionKey, def.sortKey];
  const attrs = def.projection.type === 'INCLUDE' ? [...keys, ...def.projection.attributes] : keys;
  const inIndex = (i: Item | null): i is Item => !!i && i[def.partitionKey] !== undefined && i[def.sortKey] !== undefined;
  const projected = (i: Item) => Object.fromEntries(attrs.filter((a) => i[a] !== undefined).map((a) => [a, i[a]!]));
  const size = (i: Item) => kb(itemBytes(projected(i)) + INDEX_ENTRY_OVERHEAD);
  const was = inIndex(before);
  const is = inIndex(after);
  if (!was && !is) return 0;
  if (was && !is) return size(before);
  if (!was && is) return size(after);
  const same = (a: string) => JSON.stringify(before![a]) === JSON.stringify(after![a]);
  if (!same(def.partitionKey) || !same(def.sortKey)) return size(before!) + size(after!);
  return attrs.every(same) ? 0 : Math.max(size(before!), size(after!));
}

function kindOf(key: { pk?: AttributeValue; sk?: AttributeValue }): string {
  const pk = key.pk?.S ?? '';
  const sk = key.sk?.S ?? '';
  const prefix = (s: string) => s.split('#')[0]!;
  return pk.startsWith('REPO#') || pk.startsWith('DISPATCH#') ? `${prefix(pk)}/${prefix(sk)}` : prefix(pk);
}

export function meterWrites(doc: DynamoDBDocumentClient, table: string): WriteMeter {
  const indexes: IndexDefinition[] = Object.values(GSI);
  const meter = {
    tableUnits: 0,
    indexUnits: 0,
    get units() {
      return this.tableUnits + this.indexUnits;
    },
    itemsByKey: new Map<string, number>(),
    byKind: new Map<string, number>(),
    reset() {
      this.tableUnits = 0;
      this.indexUnits = 0;
      this.itemsByKey.clear();
      this.byKind.clear();
    },
  };
  const get = async (Key: Item): Promise<Item | null> =>
    ((await doc.send(new GetItemCommand({ TableName: table, Key, ConsistentRead: true }))).Item as Item | undefined) ?? null;
  const keyOf = (i: Item): Item => ({ pk: i.pk!, sk: i.sk! });
  const add = (key: Item, units: number) => {
    meter.byKind.set(kindOf(key), (meter.byKind.get(kindOf(key)) ?? 0) + units);
    const pk = key.pk?.S ?? '';
    meter.itemsByKey.set(pk, (meter.itemsByKey.get(pk) ?? 0) + 1);
  };

  // Ask for consumed capacity before the input is marshalled (the field passes through as is).
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITES.has(context.commandName ?? '')) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      return next(args);
    },
    { step: 'initialize', name: 'writeMeterAsk' },
  );
  // After marshalling: the keys and items are in DynamoDB's own form.
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      if (!WRITES.has(name)) return next(args);
      const input = args.input as { Key?: Item; Item?: Item; RequestItems?: Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]> };
      const keys: Item[] =
        name === 'BatchWriteItemCommand'
          ? (input.RequestItems?.[table] ?? []).map((r) => (r.PutRequest ? keyOf(r.PutRequest.Item) : r.DeleteRequest!.Key))
          : [input.Key ?? keyOf(input.Item!)];
      const before = await Promise.all(keys.map(get));
      let result;
      try {
        result = await next(args);
      } catch (err) {
        if ((err as Error).name === 'ConditionalCheckFailedException') {
          const units = kb(before[0] ? itemBytes(before[0]) : 0);
          meter.tableUnits += units;
          add(keys[0]!, units);
        }
        throw err;
      }
      const after = await Promise.all(keys.map(get));
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      const total = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
      meter.tableUnits += total;
      keys.forEach((k, i) => {
        const idx = indexes.reduce((s, d) => s + indexUnits(d, before[i]!, after[i]!), 0);
        meter.indexUnits += idx;
        // The table's units per item for the breakdown (a batch reports one total).
        const own = kb(Math.max(before[i] ? itemBytes(before[i]!) : 0, after[i] ? itemBytes(after[i]!) : 0));
        add(k, own + idx);
      });
      return result;
    },
    { step: 'build', name: 'writeMeterCount' },
  );
  return meter;
}
