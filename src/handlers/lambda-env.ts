import { rateLimitReserveOf } from '../github/rate-budget';
import { createLogger, logLevelOf } from '../log';
import { emfMetrics, useMetrics } from '../metrics/metrics';
import { createDocumentClient, type StoreContext } from '../store/dynamo';
import { DEFAULT_TABLE_NAME } from '../store/schema';

/**
 * What every function reads from its environment, once per cold start. Secrets are never here:
 * they come from Secrets Manager (src/secrets/app-secrets.ts).
 */
const level = logLevelOf(process.env.LOG_LEVEL) ?? 'info';
export const log = createLogger({ level, base: { service: 'arm64-ci', fn: process.env.AWS_LAMBDA_FUNCTION_NAME } });
// CloudWatch embedded metric format on stdout: CloudWatch turns the lines into metrics, no API call.
useMetrics(emfMetrics());

export const store: StoreContext = {
  doc: createDocumentClient(),
  table: process.env.TABLE_NAME || DEFAULT_TABLE_NAME,
};

export const githubApiUrl = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
/** Requests of an installation's hour kept for dispatches and conclusions (src/github/rate-budget.ts). */
export const githubRateLimitReserve = rateLimitReserveOf(process.env.GITHUB_RATE_LIMIT_RESERVE);
export const publicUrl = process.env.PUBLIC_URL?.replace(/\/+$/, '') || null;

export function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; the stack sets it on this function`);
  return v;
}
