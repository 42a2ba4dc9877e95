import type { CounterKey } from '../../src/metrics/catalog';
import type { MetricsSink } from '../../src/metrics/metrics';

/** A metrics sink that keeps what was counted: `counts['reconcilerActions:lost']`, `counts.dispatches`. */
export function recordingMetrics(): { sink: MetricsSink; counts: Record<string, number>; observed: Record<string, number[]> } {
  const counts: Record<string, number> = {};
  const observed: Record<string, number[]> = {};
  const sink: MetricsSink = {
    count(key: CounterKey, value, dimension) {
      const name = dimension ? `${key}:${dimension}` : key;
      counts[name] = (counts[name] ?? 0) + value;
    },
    observe(key, seconds) {
      (observed[key] ??= []).push(seconds);
    },
    gauge(key, value) {
      observed[key] = [value];
    },
    flush() {},
  };
  return { sink, counts, observed };
}
