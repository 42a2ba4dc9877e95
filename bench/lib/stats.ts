export const median = (xs: number[]) => quantile(xs, 0.5);

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const round = (x: number, digits = 2) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

/** CPU microseconds (user + system) spent by this process while `fn` runs. */
export async function cpuOf(fn: () => Promise<void>): Promise<{ cpuUs: number; wallMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { cpuUs: c.user + c.system, wallMs: performance.now() - t0 };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
