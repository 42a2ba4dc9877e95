/**
 * The single DynamoDB table: names shared by the local server, the tests and the CDK stack,
 * so the three can never disagree about a key or index name.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Items expire at this epoch-seconds attribute (TTL is set in the CDK stack; dynalite never expires). */
  ttl: 'ttl',
} as const;

export const GSI = {
  /** Dispatches by commit (gsi1pk = COMMIT#owner/repo#sha, gsi1sk = dispatch id); repositories (REPOS / owner/repo). */
  byCommit: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Dispatches by branch or pull request: gsi2pk = REF#owner/repo#branch:main | pr:12, gsi2sk = dispatch id. */
  byRef: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

export const DEFAULT_TABLE_NAME = 'arm64-ci';
