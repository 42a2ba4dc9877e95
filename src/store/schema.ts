/**
 * The single DynamoDB table: names shared by the local server, the tests and the CDK stack,
 * so the three can never disagree about a key, an index or what an index projects.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Items expire at this epoch-seconds attribute (TTL is set in the CDK stack; dynalite never expires). */
  ttl: 'ttl',
} as const;

/**
 * What an index carries besides the keys. An index entry is rewritten (and billed) whenever an
 * attribute it projects changes, so each projects only what its queries read before the filter:
 * readers take the keys and read the items themselves (dispatches.ts, repos.ts).
 */
export type IndexProjection = { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] };

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  projection: IndexProjection;
}

export const GSI = {
  /**
   * Dispatches by commit (gsi1pk = COMMIT#owner/repo#sha, gsi1sk = dispatch id); repositories
   * (REPOS / owner/repo). Projects `private` and `installed`: the public repository list and the
   * installed-repositories count (scheduled/installed-pass.ts) filter on them.
   */
  byCommit: { name: 'gsi1-keys', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: { type: 'INCLUDE', attributes: ['private', 'installed'] } },
  /** Dispatches by branch or pull request: gsi2pk = REF#owner/repo#branch:main | pr:12, gsi2sk = dispatch id. Keys only. */
  byRef: { name: 'gsi2-keys', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: { type: 'KEYS_ONLY' } },
  /**
   * Open dispatches by due time (store/open-dispatches.ts): the table's own `pk` (OPEN#<shard>)
   * and `dueAt`, which only open-dispatch items carry (a sparse index). Projects what a pass reads.
   */
  due: { name: 'due', partitionKey: 'pk', sortKey: 'dueAt', projection: { type: 'INCLUDE', attributes: ['repo', 'dispatchId', 'checkedAt', 'attempt'] } },
} as const satisfies Record<string, IndexDefinition>;

export const DEFAULT_TABLE_NAME = 'arm64-ci';

/** The table as the CDK stack defines it (infra/stack.ts builds the same from GSI), for dynalite and tests. */
export function tableDefinition(table: string): CreateTableCommandInput {
  const gsis: IndexDefinition[] = Object.values(GSI);
  return {
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    // Every key attribute once (an index may reuse the table's own `pk`).
    AttributeDefinitions: [...new Set([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...gsis.flatMap((g) => [g.partitionKey, g.sortKey])])].map(
      (name) => ({ AttributeName: name, AttributeType: 'S' as const }),
    ),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: gsis.map((g) => ({
      IndexName: g.name,
      KeySchema: [
        { AttributeName: g.partitionKey, KeyType: 'HASH' },
        { AttributeName: g.sortKey, KeyType: 'RANGE' },
      ],
      Projection:
        g.projection.type === 'INCLUDE'
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...g.projection.attributes] }
          : { ProjectionType: 'KEYS_ONLY' },
    })),
  };
}
