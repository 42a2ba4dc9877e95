/**
 * The production stack, top to bottom:
 *
 *   GitHub ──HTTPS──▶ ingest (Function URL) ──▶ SQS FIFO work queue ──▶ worker ──▶ GitHub
 *                         │                         └─(5 failed receives)─▶ dead-letter queue (FIFO)
 *                         └──────────▶ DynamoDB table ◀──────── worker, scheduled
 *                                       ▲ (read-only)
 *   browsers, README badges ──HTTPS──▶ web (Function URL): badges, dashboard pages, JSON API
 *   EventBridge (every 5 min) ──▶ scheduled (reconciler + redelivery of failed deliveries)
 *
 * Two public URLs: the webhook goes to ingest, everything people look at goes to web, so the
 * webhook path carries none of the page and badge code.
 *
 * Secrets live in one Secrets Manager secret that the functions read at cold start; the
 * environment only carries names and URLs. Alarms go to an SNS topic when one is configured.
 *
 * Settings come from CDK context (`cdk.json` or `-c key=value`), all optional:
 *   githubApiUrl              GitHub REST API base (GitHub Enterprise Server), default https://api.github.com
 *   publicUrl                 external base URL of the web function (e.g. a custom domain in front),
 *                             default the web function's URL; the webhook URL is never affected
 *   alarmEmail                create an encrypted SNS topic for the alarms and subscribe this address
 *   alarmTopicArn             send the alarms to this existing SNS topic instead
 *   ingestReservedConcurrency cap (and reserve) the ingest function's concurrency
 *   webReservedConcurrency    cap (and reserve) the web function's concurrency (badges, pages)
 *   workerMaxConcurrency      most worker instances SQS may run at once (GitHub rate limits), default 5
 *   logRetentionDays          CloudWatch Logs retention, default 30
 *   githubRateLimitReserve    GITHUB_RATE_LIMIT_RESERVE of the worker and scheduled functions: requests of an
 *                             installation's hourly GitHub budget kept for dispatches and conclusions, default 500
 *   logLevel                  LOG_LEVEL of every function (debug, info, warn, error), default info
 *   noWebhookAlarmHours       hours without an accepted webhook, while repositories are installed,
 *                             before the NoWebhookAccepted alarm (1..24), default 24
 *
 * The dashboard and the alarms on the app's own metrics are in observability.ts.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ESM_BUILDS, SDK_BUNDLED } from '../scripts/bundle';
import { GSI, TABLE_KEYS, type IndexDefinition } from '../src/store/schema';
import { addObservability } from './observability';

/** Repository root: entries, the lock file and tsconfig are resolved from here. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Environment variable names the functions may receive; none of them carries a secret. */
export const FUNCTION_ENV_KEYS = [
  'TABLE_NAME',
  'SECRET_ARN',
  'GITHUB_API_URL',
  'NODE_OPTIONS',
  'LOG_LEVEL',
  'QUEUE_URL',
  'PUBLIC_URL',
  'GITHUB_RATE_LIMIT_RESERVE',
] as const;

/** GitHub gives up on a delivery after 10 s; the ingest function must answer well before. */
const INGEST_TIMEOUT = Duration.seconds(10);
/** A badge or page is a handful of table reads: 10 s is ample, and a stuck request frees its slot. */
const WEB_TIMEOUT = Duration.seconds(10);
/** One batch of webhook work: a few GitHub calls per message, an artifact download at most. */
const WORKER_TIMEOUT = Duration.seconds(90);
const WORKER_BATCH_SIZE = 5;
/** A receive that fails this many times moves to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
/** Work waiting longer than this means the worker is failing or cannot keep up. */
const OLDEST_MESSAGE_ALARM_SECONDS = 15 * 60;

interface Settings {
  githubApiUrl: string;
  publicUrl?: string;
  alarmEmail?: string;
  alarmTopicArn?: string;
  ingestReservedConcurrency?: number;
  webReservedConcurrency?: number;
  workerMaxConcurrency: number;
  logRetention: logs.RetentionDays;
  githubRateLimitReserve?: number;
  logLevel?: string;
  noWebhookAlarmHours: number;
}

/** The functions read LOG_LEVEL as src/log.ts does; a typo fails the synth, not the function. */
function level(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(v)) throw new Error(`context "logLevel" must be debug, info, warn or error, got "${value}"`);
  return v;
}

/** A CloudWatch alarm looks back at most one day: 24 hourly periods. */
function hoursUpTo24(value: number | undefined): number {
  if (value !== undefined && value > 24) throw new Error(`context "noWebhookAlarmHours" must be 1..24 (an alarm looks back at most a day), got ${value}`);
  return value ?? 24;
}

function readSettings(scope: Construct): Settings {
  const text = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    return String(value).trim();
  };
  const integer = (key: string, min: number): number | undefined => {
    const raw = text(key);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`context "${key}" must be an integer >= ${min}, got "${raw}"`);
    }
    return value;
  };
  const retentionDays = integer('logRetentionDays', 1) ?? logs.RetentionDays.ONE_MONTH;
  if (!Object.values(logs.RetentionDays).includes(retentionDays)) {
    throw new Error(`context "logRetentionDays" must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, …), got ${retentionDays}`);
  }
  return {
    githubApiUrl: (text('githubApiUrl') ?? 'https://api.github.com').replace(/\/+$/, ''),
    publicUrl: text('publicUrl')?.replace(/\/+$/, ''),
    alarmEmail: text('alarmEmail'),
    alarmTopicArn: text('alarmTopicArn'),
    ingestReservedConcurrency: integer('ingestReservedConcurrency', 1),
    webReservedConcurrency: integer('webReservedConcurrency', 1),
    // SQS event sources accept 2..1000.
    workerMaxConcurrency: integer('workerMaxConcurrency', 2) ?? 5,
    logRetention: retentionDays as logs.RetentionDays,
    githubRateLimitReserve: integer('githubRateLimitReserve', 0),
    logLevel: level(text('logLevel')),
    noWebhookAlarmHours: hoursUpTo24(integer('noWebhookAlarmHours', 1)),
  };
}

export class Arm64CiStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, {
      description: 'arm64 CI coordinator: a GitHub App that dispatches workflows to arm64 self-hosted runners',
      ...props,
    });
    const settings = readSettings(this);

    // ── State ────────────────────────────────────────────────────────────────────────────
    // Key and index names come from the schema the code uses, so the two cannot drift.
    const table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_KEYS.ttl,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Run history and badges outlive the stack: `cdk destroy` leaves the table behind.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Each index projects only what its queries read (src/store/schema.ts): an entry is
    // rewritten, and billed, whenever a projected attribute changes.
    for (const index of Object.values(GSI) as IndexDefinition[]) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        ...(index.projection.type === 'INCLUDE'
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.attributes] }
          : { projectionType: dynamodb.ProjectionType.KEYS_ONLY }),
      });
    }

    // The App's credentials. CloudFormation can generate one random key: the webhook secret,
    // so the endpoint rejects every delivery until the owner stores the App's real values
    // (see docs/DEPLOY.md); appId and privateKey are placeholders the owner fills in.
    const secret = new secretsmanager.Secret(this, 'AppSecret', {
      description: 'GitHub App credentials: {"appId","privateKey","webhookSecret","badgeSecret"}',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ appId: '', privateKey: '' }),
        generateStringKey: 'webhookSecret',
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The values are a GitHub App private key and webhook secret, which are issued and rotated in ' +
        "GitHub's App settings; a Secrets Manager rotation Lambda cannot rotate them.",
    });

    // ── Queue between ingest and worker ─────────────────────────────────────────────────
    // FIFO: messages carry the repository as their group, so one repository's events are
    // worked on one at a time and in order (two never race to update the same check run),
    // and the delivery id is the deduplication id. A FIFO queue's dead-letter queue is FIFO too.
    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      fifo: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows, so an operator has time to inspect and redrive.
      retentionPeriod: Duration.days(14),
    });
    const workQueue = new sqs.Queue(this, 'WorkQueue', {
      fifo: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's rule for Lambda consumers: at least 6x the function timeout, so a slow batch is
      // not handed to a second worker while the first still runs. It is also the retry delay.
      visibilityTimeout: Duration.seconds(6 * WORKER_TIMEOUT.toSeconds()),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    // ── Functions ────────────────────────────────────────────────────────────────────────
    const common: Record<string, string> = {
      TABLE_NAME: table.tableName,
      // The ARN, never the value: the code fetches the secret once per cold start.
      SECRET_ARN: secret.secretArn,
      GITHUB_API_URL: settings.githubApiUrl,
      NODE_OPTIONS: '--enable-source-maps',
      ...(settings.logLevel ? { LOG_LEVEL: settings.logLevel } : {}),
    };

    const ingest = this.lambdaFunction('Ingest', {
      entry: 'src/handlers/ingest.ts',
      description: 'Webhook receiver: verify, de-duplicate, enqueue',
      timeout: INGEST_TIMEOUT,
      memorySize: 512,
      reservedConcurrentExecutions: settings.ingestReservedConcurrency,
      environment: { ...common, QUEUE_URL: workQueue.queueUrl },
      logRetention: settings.logRetention,
    });
    // GitHub cannot sign requests with AWS SigV4, so the URL is public; every webhook is
    // authenticated by its X-Hub-Signature-256 HMAC.
    // A Function URL rather than API Gateway: no extra service or per-request charge, and
    // nothing API Gateway would add (authorizers, API keys, usage plans) is usable by GitHub's
    // webhook sender. No cdk-nag rule covers Function URLs, so this comment is the record.
    const ingestUrl = ingest.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    // Badges, dashboard and JSON API: a function of their own, so the webhook path carries none
    // of the page and badge code (ingest stays a few dozen KB and starts fast). It only reads:
    // no queue, and table read rights only (below).
    const web = this.lambdaFunction('Web', {
      entry: 'src/handlers/web.ts',
      description: 'Badges, dashboard pages and JSON API (read-only)',
      // The public read side can be flooded like any URL: this bounds what a flood can cost.
      reservedConcurrentExecutions: settings.webReservedConcurrency,
      timeout: WEB_TIMEOUT,
      memorySize: 512,
      environment: { ...common, ...(settings.publicUrl ? { PUBLIC_URL: settings.publicUrl } : {}) },
      logRetention: settings.logRetention,
    });
    // Public by design: README badges are fetched anonymously (through GitHub's image proxy)
    // and pages by browsers; a private repository's runs are shown only with its badge token.
    // A Function URL for the same reasons as ingest's; a CDN or custom domain goes in front
    // of this one (publicUrl).
    const webUrl = web.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    // A function cannot be told its own URL (circular reference): without publicUrl the web
    // function takes its base URL from the request's Host header; worker and scheduled get it
    // from here, for the links they put in check runs and comments.
    const origin = (url: lambda.FunctionUrl) => Fn.join('', ['https://', Fn.select(2, Fn.split('/', url.url))]);
    const publicUrl = settings.publicUrl ?? origin(webUrl);
    // Only the functions that call GitHub with installation tokens read it (src/github/rate-budget.ts).
    const reserve: Record<string, string> =
      settings.githubRateLimitReserve === undefined ? {} : { GITHUB_RATE_LIMIT_RESERVE: String(settings.githubRateLimitReserve) };

    const worker = this.lambdaFunction('Worker', {
      entry: 'src/handlers/worker.ts',
      description: 'Queue consumer: acts on each webhook (check runs, dispatches, comments, results)',
      timeout: WORKER_TIMEOUT,
      memorySize: 1024,
      environment: { ...common, PUBLIC_URL: publicUrl, ...reserve },
      logRetention: settings.logRetention,
    });
    worker.addEventSource(
      new SqsEventSource(workQueue, {
        // No batching window: FIFO event sources do not support one.
        batchSize: WORKER_BATCH_SIZE,
        // Only the failed records (and those queued behind them in their group) return to the
        // queue; the rest of the batch is not redone.
        reportBatchItemFailures: true,
        maxConcurrency: settings.workerMaxConcurrency,
      }),
    );

    const scheduled = this.lambdaFunction('Scheduled', {
      entry: 'src/handlers/scheduled.ts',
      description: 'Every 5 minutes: reconcile stale runs and redeliver failed webhook deliveries',
      timeout: Duration.minutes(2),
      memorySize: 512,
      // The next tick retries anyway; async retries would only overlap it.
      retryAttempts: 0,
      environment: { ...common, PUBLIC_URL: publicUrl, QUEUE_URL: workQueue.queueUrl, ...reserve },
      logRetention: settings.logRetention,
    });
    new events.Rule(this, 'Every5Minutes', {
      description: 'Runs the reconciler and webhook redelivery',
      schedule: events.Schedule.rate(Duration.minutes(5)),
      targets: [new targets.LambdaFunction(scheduled, { retryAttempts: 0 })],
    });

    // ── Least privilege, through the constructs' grants ─────────────────────────────────
    const tableLogicalId = this.resolve((table.node.defaultChild as dynamodb.CfnTable).logicalId) as string;
    const indexWildcard = `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`;
    for (const fn of [ingest, worker, scheduled]) {
      table.grantReadWriteData(fn);
      secret.grantRead(fn);
      Validations.of(fn.role!).acknowledge({
        id: indexWildcard,
        reason:
          "Added by table.grantReadWriteData: querying the table's global secondary indexes needs the " +
          'index ARNs, which are only addressable as <table ARN>/index/*; it names no other table.',
      });
    }
    // The web function reads repositories, runs and results, and the secret only for the
    // badge-token and pagination-cursor keys.
    table.grantReadData(web);
    secret.grantRead(web);
    Validations.of(web.role!).acknowledge({
      id: indexWildcard,
      reason:
        'Added by table.grantReadData (read actions only): the repository list and the per-branch test ' +
        "summaries are queries on the table's global secondary indexes, whose ARNs are only addressable " +
        'as <table ARN>/index/*; it names no other table.',
    });
    workQueue.grantSendMessages(ingest);
    workQueue.grantSendMessages(scheduled);
    // The worker's receive/delete rights come from the SqsEventSource above.

    // ── Alarms ───────────────────────────────────────────────────────────────────────────
    const alarms: cloudwatch.Alarm[] = [];
    const every5Minutes = Duration.minutes(5);
    alarms.push(
      new cloudwatch.Alarm(this, 'DeadLetterQueueNotEmpty', {
        alarmDescription: `A webhook failed ${MAX_RECEIVE_COUNT} times and was set aside in the dead-letter queue.`,
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: every5Minutes, statistic: 'Maximum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'WorkQueueOldestMessage', {
        alarmDescription:
          'Webhook work has waited over 15 minutes: the worker keeps failing (partial batch failures do ' +
          'not count as Lambda errors) or cannot keep up.',
        metric: workQueue.metricApproximateAgeOfOldestMessage({ period: every5Minutes, statistic: 'Maximum' }),
        threshold: OLDEST_MESSAGE_ALARM_SECONDS,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const [name, fn] of [['Ingest', ingest], ['Web', web], ['Worker', worker], ['Scheduled', scheduled]] as const) {
      alarms.push(
        new cloudwatch.Alarm(this, `${name}Errors`, {
          alarmDescription: `The ${name.toLowerCase()} function failed (crash, timeout or unhandled error).`,
          metric: fn.metricErrors({ period: every5Minutes, statistic: 'Sum' }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        new cloudwatch.Alarm(this, `${name}Throttles`, {
          alarmDescription: `The ${name.toLowerCase()} function was throttled (account or reserved concurrency limit).`,
          metric: fn.metricThrottles({ period: every5Minutes, statistic: 'Sum' }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    alarms.push(
      ...addObservability(this, {
        functions: { Ingest: ingest, Web: web, Worker: worker, Scheduled: scheduled },
        workQueue,
        deadLetterQueue,
        noWebhookHours: settings.noWebhookAlarmHours,
      }),
    );

    const alarmTopic = this.alarmTopic(settings);
    if (alarmTopic) {
      for (const alarm of alarms) {
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        alarm.addOkAction(new SnsAction(alarmTopic));
      }
    }

    // ── Outputs ──────────────────────────────────────────────────────────────────────────
    new CfnOutput(this, 'WebhookUrl', {
      description: "The GitHub App's webhook URL",
      value: Fn.join('', [origin(ingestUrl), '/api/github/webhooks']),
    });
    new CfnOutput(this, 'BadgeBaseUrl', {
      description: 'Badges live under here: <BadgeBaseUrl><owner>/<repo>/status.svg',
      value: Fn.join('', [publicUrl, '/badges/']),
    });
    new CfnOutput(this, 'PublicUrl', { description: 'Dashboard', value: publicUrl });
    new CfnOutput(this, 'SecretName', {
      description: 'Secrets Manager secret to fill with the App id, private key and webhook secret',
      value: secret.secretName,
    });
    new CfnOutput(this, 'TableName', { description: 'DynamoDB table (retained on destroy)', value: table.tableName });
  }

  /**
   * One function: arm64, Node.js 22, bundled here with the local esbuild (no Docker) as ESM,
   * the AWS SDK left to the runtime, its own log group and a role that may only write there
   * until the grants above add to it.
   */
  private lambdaFunction(
    name: string,
    props: Pick<
      NodejsFunctionProps,
      'description' | 'timeout' | 'memorySize' | 'environment' | 'reservedConcurrentExecutions' | 'retryAttempts'
    > & { entry: string; logRetention: logs.RetentionDays },
  ): NodejsFunction {
    const { logRetention, entry, ...rest } = props;
    // scripts/bundle.ts SDK_BUNDLED: the functions whose measured cold start is shorter with the
    // AWS SDK bundled and tree-shaken than loaded from the runtime (bench/first-request.ts); the
    // ingest function, which now reaches AWS without the SDK (src/handlers/ingest-aws.ts).
    const fnName = path.basename(path.dirname(entry)) === 'handlers' ? path.basename(entry, '.ts') : '';
    const bundleSdk = (SDK_BUNDLED as readonly string[]).includes(fnName);
    const logGroup = new logs.LogGroup(this, `${name}Logs`, {
      retention: logRetention,
      // Logs are diagnostics, not records: they go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of the AWSLambdaBasicExecutionRole managed policy, which may write
    // to any log group in the account.
    const role = new iam.Role(this, `${name}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${name.toLowerCase()} function`,
    });
    logGroup.grantWrite(role);

    const fn = new NodejsFunction(this, name, {
      ...rest,
      entry: path.join(ROOT, entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      role,
      logGroup,
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, 'package-lock.json'),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        // Prefer the ESM builds of dependencies (hono and octokit ship ESM).
        mainFields: ['module', 'main'],
        // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        externalModules: bundleSdk ? [] : ['@aws-sdk/*'],
        minify: true,
        sourceMap: true,
        // Stack traces need only the mappings, not the sources: a smaller upload.
        sourcesContent: false,
        target: 'node22',
        // As scripts/bundle.ts (what the benchmarks measure): the ES-module builds of these
        // dependencies, and no collected license comments (the licenses ship with the packages).
        esbuildArgs: {
          '--alias': Object.entries(ESM_BUILDS).map(([name, file]) => `${name}=${file}`),
          '--legal-comments': 'none',
        },
      },
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22 (supported by Lambda until 2027) on purpose: it is the runtime the code is ' +
        'tested against; moving to a newer runtime is a deliberate change, not an automatic one.',
    });
    return fn;
  }

  /** The alarms' SNS topic: an existing one (alarmTopicArn), a new one (alarmEmail), or none. */
  private alarmTopic(settings: Settings): sns.ITopic | undefined {
    let topic: sns.ITopic | undefined;
    if (settings.alarmTopicArn) {
      topic = sns.Topic.fromTopicArn(this, 'AlarmTopic', settings.alarmTopicArn);
    } else if (settings.alarmEmail) {
      // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, so the
      // topic gets its own key that CloudWatch may use.
      const key = new kms.Key(this, 'AlarmTopicKey', {
        description: 'Encrypts the arm64 CI alarm topic',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
      topic = new sns.Topic(this, 'AlarmTopic', {
        displayName: 'arm64 CI alarms',
        masterKey: key,
        enforceSSL: true,
      });
    }
    if (topic && settings.alarmEmail) {
      topic.addSubscription(new subscriptions.EmailSubscription(settings.alarmEmail));
    }
    return topic;
  }
}
