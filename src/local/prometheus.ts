/**
 * The local server's metrics in Prometheus text format (`GET /metrics`), with prom-client: the
 * same numbers the functions send to CloudWatch (src/metrics/catalog.ts).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRICS, type MetricKey } from '../metrics/catalog';
import type { MetricsSink } from '../metrics/metrics';

// Queue and run times of CI jobs: seconds to hours.
const BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400];

export function prometheusMetrics(): { sink: MetricsSink; registry: Registry } {
  const registry = new Registry();
  const made = new Map<MetricKey, Counter | Histogram | Gauge>();
  for (const [key, def] of Object.entries(METRICS) as [MetricKey, (typeof METRICS)[MetricKey]][]) {
    const common = { name: def.prometheus, help: def.help, registers: [registry] };
    const labelNames = 'dimension' in def ? [def.dimension] : [];
    made.set(
      key,
      def.kind === 'counter'
        ? new Counter({ ...common, labelNames })
        : def.kind === 'duration'
          ? new Histogram({ ...common, buckets: BUCKETS })
          : new Gauge(common),
    );
  }
  const sink: MetricsSink = {
    count(key, value, dimension) {
      const def = METRICS[key];
      const c = made.get(key) as Counter;
      if ('dimension' in def) c.inc({ [def.dimension]: dimension ?? 'unknown' }, value);
      else c.inc(value);
    },
    observe(key, seconds) {
      (made.get(key) as Histogram).observe(seconds);
    },
    gauge(key, value) {
      (made.get(key) as Gauge).set(value);
    },
    flush() {},
  };
  return { sink, registry };
}
