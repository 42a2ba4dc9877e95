/**
 * What an operator watches after `cdk deploy`: one CloudWatch dashboard (webhooks, dispatches,
 * queue time, failures, the dead-letter queue, each function's errors and duration) and the alarms
 * on meaning — webhooks stopped arriving while repositories are installed, dispatches lost,
 * messages dropped as poison. The app's own numbers arrive as embedded-metric-format log lines
 * (src/metrics/), named in src/metrics/catalog.ts; this file reads the same names.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRICS, METRICS_NAMESPACE, METRICS_SERVICE, type MetricKey } from '../src/metrics/catalog';

export interface ObservabilityProps {
  functions: Record<'Ingest' | 'Web' | 'Worker' | 'Scheduled', lambda.IFunction>;
  workQueue: sqs.IQueue;
  deadLetterQueue: sqs.IQueue;
  /** Hours without an accepted webhook, while repositories are installed, before the alarm (1..24). */
  noWebhookHours: number;
}

const FIVE_MINUTES = Duration.minutes(5);
const HOUR = Duration.hours(1);

/** One of the app's metrics, as Powertools writes it (the `service` dimension on every one). */
export function appMetric(key: MetricKey, statistic: string, opts: { period?: Duration; dimension?: string; label?: string } = {}): cloudwatch.Metric {
  const def = METRICS[key];
  const dimensionsMap: Record<string, string> = { service: METRICS_SERVICE };
  if ('dimension' in def && opts.dimension) dimensionsMap[def.dimension] = opts.dimension;
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: def.cloudwatch,
    dimensionsMap,
    statistic,
    period: opts.period ?? FIVE_MINUTES,
    ...(opts.label ? { label: opts.label } : {}),
  });
}

/** Every value of a metric's dimension (rejections by reason), found by a search expression. */
function byDimension(key: MetricKey, label: string): cloudwatch.MathExpression {
  const def = METRICS[key];
  const dimension = 'dimension' in def ? def.dimension : 'service';
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${dimension},service} MetricName="${def.cloudwatch}"', 'Sum', 300)`,
    usingMetrics: {},
    label,
    period: FIVE_MINUTES,
  });
}

/** Builds the dashboard; returns the new alarms for the stack to route to its topic. */
export function addObservability(scope: Construct, props: ObservabilityProps): cloudwatch.Alarm[] {
  const fns = Object.entries(props.functions) as [string, lambda.IFunction][];
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    // Named after the stack, so an operator finds it, and a second stack (stackName) has its own.
    dashboardName: Stack.of(scope).stackName,
    defaultInterval: Duration.days(1),
  });
  const graph = (title: string, left: cloudwatch.IMetric[], opts: Partial<cloudwatch.GraphWidgetProps> = {}) =>
    new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, ...opts });
  /** The median and the 90th percentile of a time the app records in seconds. */
  const percentiles = (title: string, key: MetricKey) =>
    graph(title, [appMetric(key, 'p50', { label: 'p50' }), appMetric(key, 'p90', { label: 'p90' })], {
      leftYAxis: { label: 'seconds', showUnits: false },
    });

  dashboard.addWidgets(
    graph('Webhooks', [
      appMetric('webhooksAccepted', 'Sum', { label: 'accepted' }),
      appMetric('webhooksDuplicate', 'Sum', { label: 'duplicate' }),
      byDimension('webhooksRejected', 'rejected'),
    ]),
    graph('Dispatches', [
      appMetric('dispatches', 'Sum', { label: 'dispatched' }),
      appMetric('redeliveriesRequested', 'Sum', { label: 'redeliveries requested' }),
    ]),
    percentiles('Queue time (dispatch → runner starts the job)', 'queueTime'),
  );
  dashboard.addWidgets(
    graph('Failures', [
      appMetric('reconcilerActions', 'Sum', { dimension: 'lost', label: 'dispatch lost' }),
      appMetric('reconcilerActions', 'Sum', { dimension: 'timed_out', label: 'timed out' }),
      appMetric('reconcilerActions', 'Sum', { dimension: 'adopted', label: 'adopted by the reconciler' }),
      appMetric('poisonMessages', 'Sum', { label: 'poison messages' }),
    ]),
    graph(
      'Smoke pass rate',
      [
        new cloudwatch.MathExpression({
          expression: '100 * passed / runs',
          usingMetrics: { passed: appMetric('smokePassed', 'Sum', { period: HOUR }), runs: appMetric('smokeRuns', 'Sum', { period: HOUR }) },
          label: 'passed %',
          period: HOUR,
        }),
      ],
      { leftYAxis: { min: 0, max: 100, label: '%', showUnits: false } },
    ),
    percentiles('Run duration', 'runDuration'),
  );
  dashboard.addWidgets(
    graph('Queues', [
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label: 'dead-letter queue depth' }),
      props.workQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label: 'work queue depth' }),
    ], {
      right: [props.workQueue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum', label: 'oldest work (s)' })],
    }),
    graph('Lambda errors', fns.map(([name, fn]) => fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: name }))),
    graph('Lambda duration p90', fns.map(([name, fn]) => fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p90', label: name })), {
      leftYAxis: { label: 'ms', showUnits: false },
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.SingleValueWidget({
      title: 'Installed repositories',
      metrics: [appMetric('installedRepositories', 'Maximum', { period: HOUR })],
      width: 8,
      height: 3,
    }),
  );

  const alarms: cloudwatch.Alarm[] = [];
  // "Installed" is the scheduled pass's count (src/scheduled/installed-pass.ts): with none, silence
  // is expected; with some, a whole day's worth of hours without one accepted webhook means the
  // App's webhook URL or secret is wrong, or GitHub stopped sending. FILL: hours without a single
  // accepted webhook have no data point at all.
  const hours = props.noWebhookHours;
  alarms.push(
    new cloudwatch.Alarm(scope, 'NoWebhookAccepted', {
      alarmDescription:
        `No webhook accepted for ${hours} hours while the App is installed on repositories: check the App's webhook URL ` +
        'and secret, and its recent deliveries on GitHub (Settings → Developer settings → the App → Advanced).',
      metric: new cloudwatch.MathExpression({
        expression: 'IF(installed > 0 AND FILL(accepted, 0) == 0, 1, 0)',
        usingMetrics: {
          installed: appMetric('installedRepositories', 'Maximum', { period: HOUR }),
          accepted: appMetric('webhooksAccepted', 'Sum', { period: HOUR }),
        },
        label: 'silent hour while installed',
        period: HOUR,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      // No count of installed repositories (the scheduled function not running) is its own alarm.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, 'DispatchLost', {
      alarmDescription:
        'The reconciler failed a dispatch as lost: GitHub accepted (or never got) a workflow_dispatch and no workflow run ' +
        'appeared. Check the workflow file, its run-name and the runners; the check run says which commit.',
      metric: appMetric('reconcilerActions', 'Sum', { dimension: 'lost' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, 'PoisonMessages', {
      alarmDescription:
        'The worker dropped a message that can never succeed (wrong payload shape, a permanent GitHub refusal); the ' +
        'worker log line "poison message dropped" names the delivery and the reason.',
      metric: appMetric('poisonMessages', 'Sum'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  );
  return alarms;
}
