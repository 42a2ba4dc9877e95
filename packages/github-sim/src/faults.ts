/** Fault injection (`gh.failNext`): the next matching requests fail before being handled. */
import { json } from './responses';

export interface Fault {
  method?: string;
  pathPattern?: RegExp;
  status: number;
  /** How many matching requests fail. Default 1. */
  times?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function defaultFaultBody(status: number): { body: unknown; headers: Record<string, string> } {
  const resetSeconds = String(Math.ceil(Date.now() / 1000) + 1);
  if (status === 403) {
    return {
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
        documentation_url:
          'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: '403',
      },
      headers: { 'retry-after': '1' },
    };
  }
  if (status === 429) {
    return {
      body: {
        message: 'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        status: '429',
      },
      // Real clock: rate-limit clients compare the reset time with Date.now().
      headers: { 'retry-after': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetSeconds },
    };
  }
  if (status >= 500) return { body: { message: 'Server Error' }, headers: {} };
  return { body: { message: 'Injected failure', status: String(status) }, headers: {} };
}

export class Faults {
  private faults: (Fault & { left: number })[] = [];

  /** Answers the next matching request(s) with this status instead of handling them. */
  push(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  take(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) => (!f.method || f.method.toUpperCase() === method) && (!f.pathPattern || f.pathPattern.test(path)),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(i, 1);
    return fault;
  }
}

export function faultResponse(fault: Fault): Response {
  const defaults = defaultFaultBody(fault.status);
  return json(fault.status, fault.body ?? defaults.body, { ...defaults.headers, ...(fault.headers ?? {}) });
}
