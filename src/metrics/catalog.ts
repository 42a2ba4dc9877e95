/**
 * Every number the app reports, in one place: the CloudWatch names (embedded metric format, from
 * the functions) and the Prometheus names (`GET /metrics` of the local server) are the same
 * numbers. infra/observability.ts builds the dashboard and alarms from these names.
 */

/** The CloudWatch namespace of every metric (infra reads it too). */
export const METRICS_NAMESPACE = 'Arm64Ci';
/** Powertools adds it to every metric as the `service` dimension. */
export const METRICS_SERVICE = 'arm64-ci';

type Kind = 'counter' | 'duration' | 'gauge';

interface MetricDef {
  /** CloudWatch metric name. */
  cloudwatch: string;
  /** Prometheus metric name (counters end in `_total`, durations are histograms in seconds). */
  prometheus: string;
  kind: Kind;
  help: string;
  /** The one dimension (CloudWatch) / label (Prometheus) it is broken down by, if any. */
  dimension?: string;
}

export const METRICS = {
  webhooksAccepted: {
    cloudwatch: 'WebhooksAccepted',
    prometheus: 'arm64ci_webhooks_accepted_total',
    kind: 'counter',
    help: 'Webhook deliveries verified and queued for the worker.',
  },
  webhooksDuplicate: {
    cloudwatch: 'WebhooksDuplicate',
    prometheus: 'arm64ci_webhooks_duplicate_total',
    kind: 'counter',
    help: 'Webhook deliveries answered as duplicates (a delivery id already seen).',
  },
  webhooksRejected: {
    cloudwatch: 'WebhooksRejected',
    prometheus: 'arm64ci_webhooks_rejected_total',
    kind: 'counter',
    help: 'Webhook deliveries refused, by reason.',
    dimension: 'reason',
  },
  dispatches: {
    cloudwatch: 'Dispatches',
    prometheus: 'arm64ci_dispatches_total',
    kind: 'counter',
    help: 'Workflow dispatches GitHub accepted.',
  },
  queueTime: {
    cloudwatch: 'QueueTime',
    prometheus: 'arm64ci_queue_time_seconds',
    kind: 'duration',
    help: 'From the dispatch (or a re-run job being queued) to a runner starting the job.',
  },
  runDuration: {
    cloudwatch: 'RunDuration',
    prometheus: 'arm64ci_run_duration_seconds',
    kind: 'duration',
    help: 'Workflow run duration, from its start to its completion.',
  },
  smokeRuns: {
    cloudwatch: 'SmokeRuns',
    prometheus: 'arm64ci_smoke_runs_total',
    kind: 'counter',
    help: 'Completed runs with smoke-test results.',
  },
  smokePassed: {
    cloudwatch: 'SmokePassed',
    prometheus: 'arm64ci_smoke_passed_total',
    kind: 'counter',
    help: 'Completed runs whose smoke tests all passed (pass rate: smoke_passed / smoke_runs).',
  },
  redeliveriesRequested: {
    cloudwatch: 'RedeliveriesRequested',
    prometheus: 'arm64ci_redeliveries_requested_total',
    kind: 'counter',
    help: 'Failed webhook deliveries the scheduled pass asked GitHub to send again.',
  },
  reconcilerActions: {
    cloudwatch: 'ReconcilerActions',
    prometheus: 'arm64ci_reconciler_actions_total',
    kind: 'counter',
    help: 'Dispatches the reconciler finished or explained, by action (adopted, lost, timed_out).',
    dimension: 'action',
  },
  poisonMessages: {
    cloudwatch: 'PoisonMessages',
    prometheus: 'arm64ci_poison_messages_total',
    kind: 'counter',
    help: 'Queue messages dropped because they can never succeed (logged with the reason).',
  },
  installedRepositories: {
    cloudwatch: 'InstalledRepositories',
    prometheus: 'arm64ci_installed_repositories',
    kind: 'gauge',
    help: 'Repositories the App is installed on, counted by each scheduled pass.',
  },
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRICS;
type Keys<K extends Kind> = { [M in MetricKey]: (typeof METRICS)[M]['kind'] extends K ? M : never }[MetricKey];
export type CounterKey = Keys<'counter'>;
export type DurationKey = Keys<'duration'>;
export type GaugeKey = Keys<'gauge'>;

/** Values of the reason dimension of webhooksRejected: few and fixed, as dimensions must be. */
export type RejectReason = 'signature' | 'bad_request' | 'too_large' | 'store_unavailable' | 'queue_unavailable';
/** Values of the action dimension of reconcilerActions. */
export type ReconcilerAction = 'adopted' | 'lost' | 'timed_out';
