/**
 * Each installation's primary rate limit, as GitHub keeps it: a budget per hour of the stand-in's
 * clock, reported in the `x-ratelimit-*` headers of every installation-token answer.
 */
/** An installation's primary rate limit as GitHub reports it in the `x-ratelimit-*` headers. */
export interface RateLimitStatus {
  limit: number;
  remaining: number;
  used: number;
  /** When the window resets (the stand-in's clock). */
  resetAt: Date;
}

export class RateLimits {
  private rates = new Map<number, { limit: number; used: number; resetAt: number }>();

  constructor(
    private readonly now: () => Date,
    private readonly defaultLimit: number,
  ) {}

  /** The installation's window, renewed an hour (stand-in clock) after it began, as GitHub's is. */
  window(installationId: number) {
    const now = this.now().getTime();
    let w = this.rates.get(installationId);
    if (!w || now >= w.resetAt) {
      w = { limit: w?.limit ?? this.defaultLimit, used: 0, resetAt: now + 3_600_000 };
      this.rates.set(installationId, w);
    }
    return w;
  }

  /** What `x-ratelimit-*` would say for this installation now. */
  status(installationId: number): RateLimitStatus {
    const w = this.window(installationId);
    return { limit: w.limit, remaining: Math.max(w.limit - w.used, 0), used: w.used, resetAt: new Date(w.resetAt) };
  }

  /** Sets an installation's limit and/or what is left of it in the current window (tests of a low budget). */
  set(installationId: number, opts: { limit?: number; remaining?: number }): void {
    const w = this.window(installationId);
    if (opts.limit !== undefined) w.limit = opts.limit;
    if (opts.remaining !== undefined) w.used = Math.max(w.limit - opts.remaining, 0);
  }

  headers(installationId: number): Record<string, string> {
    const r = this.status(installationId);
    return {
      'x-ratelimit-limit': String(r.limit),
      'x-ratelimit-remaining': String(r.remaining),
      'x-ratelimit-used': String(r.used),
      'x-ratelimit-resource': 'core',
      'x-ratelimit-reset': String(Math.floor(r.resetAt.getTime() / 1000)),
    };
  }
}
