/**
 * Write units the table's global secondary indexes consume, counted from the table's definition:
 * dynalite reports consumed capacity for the table only. Every index projects ALL attributes
 * (src/store/dynamo.ts ensureTable, infra/stack.ts), so an item write touches an index whenever
 * the item, after the write (or before, for a delete), carries that index's key attributes, and
 * costs ceil(item size / 1 KB) there, as DynamoDB bills it. Item size is approximated by its JSON.
 *
 * Bench-only middleware on the document client: it asks for the item back (`ReturnValues`) where
 * the product asked for nothing, which changes only the answer, never what is stored.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GSI } from '../../src/store/schema';

type Item = Record<string, unknown>;

const INDEXES = Object.values(GSI);

function indexUnits(item: Item | undefined): number {
  if (!item) return 0;
  const kb = Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(item)) / 1024));
  return INDEXES.filter((g) => item[g.partitionKey] !== undefined && item[g.sortKey] !== undefined).length * kb;
}

export interface IndexWriteMeter {
  readonly write: number;
  reset(): void;
}

export function meterIndexWrites(doc: DynamoDBDocumentClient): IndexWriteMeter {
  let write = 0;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const input = args.input as { ReturnValues?: string; Item?: Item; RequestItems?: Record<string, { PutRequest?: { Item: Item } }[]> };
      if ((command === 'UpdateCommand' || command === 'UpdateItemCommand') && (!input.ReturnValues || input.ReturnValues === 'NONE')) input.ReturnValues = 'ALL_NEW';
      if ((command === 'DeleteCommand' || command === 'DeleteItemCommand') && (!input.ReturnValues || input.ReturnValues === 'NONE')) input.ReturnValues = 'ALL_OLD';
      const result = await next(args);
      const output = result.output as { Attributes?: Item };
      if (command.startsWith('Put')) write += indexUnits(input.Item);
      else if (command.startsWith('Update') || command.startsWith('Delete')) write += indexUnits(output.Attributes);
      else if (command.startsWith('BatchWrite')) {
        for (const reqs of Object.values(input.RequestItems ?? {})) for (const r of reqs) write += indexUnits(r.PutRequest?.Item);
      }
      return result;
    },
    { step: 'initialize', name: 'benchIndexWrites' },
  );
  return {
    get write() {
      return write;
    },
    reset() {
      write = 0;
    },
  };
}
