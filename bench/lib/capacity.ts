import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Consumed = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

export interface CapacityMeter {
  /** Units read/written since the last reset, as the store reported them, and the calls that did it. */
  readonly read: number;
  readonly write: number;
  readonly calls: { command: string; units: number }[];
  reset(): void;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);

/**
 * Asks the store for `ReturnConsumedCapacity: 'TOTAL'` on every request of this client and sums
 * what comes back, so the product's store modules stay as they are. One middleware, bench-only.
 */
export function meterCapacity(doc: DynamoDBDocumentClient): CapacityMeter {
  let read = 0;
  let write = 0;
  let calls: { command: string; units: number }[] = [];
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Consumed }).ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
      const command = context.commandName ?? 'unknown';
      if (READS.has(command)) read += units;
      else write += units;
      calls.push({ command, units });
      return result;
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
  return {
    get read() {
      return read;
    },
    get write() {
      return write;
    },
    get calls() {
      return [...calls];
    },
    reset() {
      read = 0;
      write = 0;
      calls = [];
    },
  };
}
