/**
 * A monthly AWS bill from the organization simulation's hourly figures (bench/org-sim.ts).
 * Unit prices: AWS's public price lists for us-east-1 (N. Virginia), as published in 2025 and
 * used here on 2026-12-03: DynamoDB on-demand after its November 2024 reduction; Lambda on arm64
 * (Graviton), the architecture the stack deploys. Free tiers are left out.
 */
export const PRICES = {
  date: '2026-12-03 (AWS public price lists, us-east-1)',
  lambdaPerGbSecond: 0.0000133334, // arm64
  lambdaPerMillionRequests: 0.2,
  dynamoPerMillionWriteUnits: 0.625, // on-demand write request units
  dynamoPerMillionReadUnits: 0.125, // on-demand read request units
  sqsFifoPerMillionRequests: 0.5,
  secretPerMonth: 0.4,
  secretsPer10kCalls: 0.05,
} as const;

/**
 * What the measurement cannot give and is assumed instead (Lambda bills wall time, which here
 * is mostly waiting for GitHub): the functions' memory as infra/stack.ts sets it.
 */
export const ASSUMPTIONS = {
  ingestMs: 30, // verify, one conditional put, one SQS send
  ingestGb: 0.5,
  workerMs: 400, // ~1 GitHub request (≈150 ms) and ~10 store calls per message; 5,000-test parses included on average
  workerGb: 1,
  scheduledMs: 3_000, // one pass every 5 minutes
  scheduledGb: 0.5,
  sqsRequestsPerMessage: 3, // send, receive, delete
  secretReadsPerMonth: 3 * 24 * 30, // a cold start of each function about once an hour
  /** The simulation's rate (50 pushes per repository-hour) during working hours: 8 h × 22 days. */
  busyHoursPerMonth: 176,
} as const;

export interface HourlyLoad {
  pushes: number;
  webhooks: number;
  workerMessages: number;
  readUnits: number;
  writeUnits: number;
}

export interface CostRow {
  repos: number;
  pushesPerMonth: number;
  lambda: number;
  dynamo: number;
  sqs: number;
  secrets: number;
  total: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Monthly cost for `repos` repositories, scaling the simulated organization's load linearly in repositories. */
export function monthlyCost(perRepoHour: HourlyLoad, repos: number): CostRow {
  const hours = ASSUMPTIONS.busyHoursPerMonth * repos;
  const webhooks = perRepoHour.webhooks * hours;
  const messages = perRepoHour.workerMessages * hours;
  const gbSeconds =
    (webhooks * ASSUMPTIONS.ingestMs * ASSUMPTIONS.ingestGb + messages * ASSUMPTIONS.workerMs * ASSUMPTIONS.workerGb) / 1000 +
    12 * 24 * 30 * (ASSUMPTIONS.scheduledMs / 1000) * ASSUMPTIONS.scheduledGb;
  const invocations = webhooks + messages + 12 * 24 * 30;
  const lambda = gbSeconds * PRICES.lambdaPerGbSecond + (invocations / 1e6) * PRICES.lambdaPerMillionRequests;
  const dynamo =
    ((perRepoHour.writeUnits * hours) / 1e6) * PRICES.dynamoPerMillionWriteUnits + ((perRepoHour.readUnits * hours) / 1e6) * PRICES.dynamoPerMillionReadUnits;
  const sqs = ((messages * ASSUMPTIONS.sqsRequestsPerMessage) / 1e6) * PRICES.sqsFifoPerMillionRequests;
  const secrets = PRICES.secretPerMonth + (ASSUMPTIONS.secretReadsPerMonth / 10_000) * PRICES.secretsPer10kCalls;
  return {
    repos,
    pushesPerMonth: Math.round(perRepoHour.pushes * hours),
    lambda: round2(lambda),
    dynamo: round2(dynamo),
    sqs: round2(sqs),
    secrets: round2(secrets),
    total: round2(lambda + dynamo + sqs + secrets),
  };
}

/** The variable cost of 1,000 pushes (fixed costs, the secret and the scheduled passes, left out). */
export function costPer1000Pushes(perRepoHour: HourlyLoad): { lambda: number; dynamo: number; sqs: number; total: number } {
  const k = 1000 / perRepoHour.pushes;
  const webhooks = perRepoHour.webhooks * k;
  const messages = perRepoHour.workerMessages * k;
  const lambda =
    ((webhooks * ASSUMPTIONS.ingestMs * ASSUMPTIONS.ingestGb + messages * ASSUMPTIONS.workerMs * ASSUMPTIONS.workerGb) / 1000) * PRICES.lambdaPerGbSecond +
    ((webhooks + messages) / 1e6) * PRICES.lambdaPerMillionRequests;
  const dynamo = ((perRepoHour.writeUnits * k) / 1e6) * PRICES.dynamoPerMillionWriteUnits + ((perRepoHour.readUnits * k) / 1e6) * PRICES.dynamoPerMillionReadUnits;
  const sqs = ((messages * ASSUMPTIONS.sqsRequestsPerMessage) / 1e6) * PRICES.sqsFifoPerMillionRequests;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { lambda: r3(lambda), dynamo: r3(dynamo), sqs: r3(sqs), total: r3(lambda + dynamo + sqs) };
}
