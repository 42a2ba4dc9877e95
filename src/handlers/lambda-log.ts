import { createLogger, logLevelOf } from '../log';
import { emfMetrics, useMetrics } from '../metrics/metrics';

/**
 * The log and metrics of every function, set up once per cold start (./lambda-env.ts adds the
 * store and the rest; the ingest function takes only this, see ./ingest.ts).
 */
const level = logLevelOf(process.env.LOG_LEVEL) ?? 'info';
export const log = createLogger({ level, base: { service: 'arm64-ci', fn: process.env.AWS_LAMBDA_FUNCTION_NAME } });
// CloudWatch embedded metric format on stdout: CloudWatch turns the lines into metrics, no API call.
useMetrics(emfMetrics());

export function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; the stack sets it on this function`);
  return v;
}
