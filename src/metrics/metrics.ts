/**
 * The app's metrics, recorded where things happen (`metrics.count('dispatches')`) and sent where
 * the process runs: CloudWatch embedded metric format lines on Lambda (Powertools Metrics; no API
 * call, CloudWatch reads them from the log), a Prometheus registry in the local server
 * (src/local/prometheus.ts), nothing elsewhere (tests that do not ask). One sink per process, set
 * by its entry point: the handlers and the local server, not the modules that record.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS, METRICS_NAMESPACE, METRICS_SERVICE, type CounterKey, type DurationKey, type GaugeKey } from './catalog';

export interface MetricsSink {
  count(key: CounterKey, value: number, dimension?: string): void;
  /** A duration in seconds. */
  observe(key: DurationKey, seconds: number): void;
  gauge(key: GaugeKey, value: number): void;
  /** Writes what was recorded since the last flush (end of a Lambda invocation). */
  flush(): void;
}

const noop: MetricsSink = { count() {}, observe() {}, gauge() {}, flush() {} };
let sink: MetricsSink = noop;

/** Sets where this process's metrics go (the entry point calls it once). */
export function useMetrics(s: MetricsSink | null): void {
  sink = s ?? noop;
}

export const metrics = {
  count(key: CounterKey, dimension?: string, value = 1): void {
    sink.count(key, value, dimension);
  },
  observe(key: DurationKey, seconds: number): void {
    if (Number.isFinite(seconds) && seconds >= 0) sink.observe(key, seconds);
  },
  gauge(key: GaugeKey, value: number): void {
    sink.gauge(key, value);
  },
  flush(): void {
    sink.flush();
  },
};

/** CloudWatch EMF through Powertools Metrics: one JSON line per flush (and per dimensioned count). */
export function emfMetrics(): MetricsSink {
  const m = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
  return {
    count(key, value, dimension) {
      const def = METRICS[key];
      if ('dimension' in def && dimension) {
        // A dimension of its own needs its own EMF document; singleMetric writes it at once.
        m.singleMetric().addDimension(def.dimension, dimension).addMetric(def.cloudwatch, MetricUnit.Count, value);
      } else m.addMetric(def.cloudwatch, MetricUnit.Count, value);
    },
    observe(key, seconds) {
      m.addMetric(METRICS[key].cloudwatch, MetricUnit.Seconds, seconds);
    },
    gauge(key, value) {
      m.addMetric(METRICS[key].cloudwatch, MetricUnit.Count, value);
    },
    flush() {
      // Powertools warns on an empty flush; an invocation that recorded nothing writes nothing.
      if (m.hasStoredMetrics()) m.publishStoredMetrics();
    },
  };
}

/** Wraps a Lambda handler so the metrics it recorded are written when it ends, thrown or not. */
export function flushingMetrics<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } finally {
      metrics.flush();
    }
  };
}
