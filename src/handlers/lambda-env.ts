import { rateLimitReserveOf } from '../github/rate-budget';
import { createDocumentClient, type StoreContext } from '../store/dynamo';
import { DEFAULT_TABLE_NAME } from '../store/schema';

/**
 * What every function reads from its environment, once per cold start. Secrets are never here:
 * they come from Secrets Manager (src/secrets/app-secrets.ts).
 */
export { log, required } from './lambda-log';

export const store: StoreContext = {
  doc: createDocumentClient(),
  table: process.env.TABLE_NAME || DEFAULT_TABLE_NAME,
};

export const githubApiUrl = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
/** Requests of an installation's hour kept for dispatches and conclusions (src/github/rate-budget.ts). */
export const githubRateLimitReserve = rateLimitReserveOf(process.env.GITHUB_RATE_LIMIT_RESERVE);
export const publicUrl = process.env.PUBLIC_URL?.replace(/\/+$/, '') || null;
