import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bundle } from '../scripts/bundle';
import { HANDLED_EVENTS } from '../src/core/events';
import { GSI, TABLE_KEYS, tableDefinition } from '../src/store/schema';
import { Arm64CiStack, FUNCTION_ENV_KEYS, MAX_RECEIVE_COUNT } from './stack';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Under the repository (cdk.out is git-ignored) so the bundles can resolve the AWS SDK from
// node_modules when the test imports them, as the Lambda runtime would provide it.
mkdirSync(path.join(ROOT, 'cdk.out'), { recursive: true });
const outdir = mkdtempSync(path.join(ROOT, 'cdk.out', 'stack-test-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Synthesize with the given context. Bundling is skipped unless asked: it is slow and only one test needs it. */
function synth(context: Record<string, unknown> = {}, bundle = false): Template {
  const app = new App({
    outdir: bundle ? outdir : undefined,
    context: { ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
  return Template.fromStack(new Arm64CiStack(app, 'Arm64Ci'));
}

let template: Template;
let resources: Record<string, Resource>;
// The real thing, bundling included, once for the whole file: four esbuild bundles take close to a
// minute on a busy two-core machine, so the hook gets more than the default minute.
beforeAll(() => {
  template = synth({}, true);
  resources = template.toJSON().Resources as Record<string, Resource>;
}, 180_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const functions = () => ofType('AWS::Lambda::Function');
/** The logical id of the function whose id starts with `name` (Ingest, Web, Worker, Scheduled). */
const functionId = (name: string) => {
  const found = functions().find(([id]) => id.startsWith(name));
  if (!found) throw new Error(`no function ${name}`);
  return found[0];
};
/** The logical id of the Function URL that serves the named function. */
const urlId = (name: string) => {
  const found = ofType('AWS::Lambda::Url').find(([, url]) => url.Properties.TargetFunctionArn['Fn::GetAtt']?.[0] === functionId(name));
  if (!found) throw new Error(`no Function URL for ${name}`);
  return found[0];
};
/** The bundle the CDK staged for a function: the asset directory is named after the S3 key's hash. */
const bundleOf = (id: string) => {
  const hash = String(resources[id]?.Properties.Code.S3Key).replace(/\.zip$/, '');
  return path.join(outdir, `asset.${hash}`, 'index.mjs');
};

describe('functions', () => {
  it('are four, all arm64 on Node.js 22', () => {
    expect(functions().map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['Ingest', 'Scheduled', 'Web', 'Worker']);
    for (const [, fn] of functions()) {
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Handler).toBe('index.handler');
    }
  });

  it('are bundled as ES modules that start, with the environment the stack gives them, and export the handler', () => {
    // Stand-ins for the values CloudFormation fills in at deploy time.
    const deployed: Record<string, string> = {
      TABLE_NAME: 'Arm64Ci-TableCD117FA1-ABC',
      SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AppSecret-AbCdEf',
      QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/Arm64Ci-WorkQueue.fifo',
      PUBLIC_URL: 'https://abc123.lambda-url.us-east-1.on.aws',
    };
    for (const [id, fn] of functions()) {
      const bundle = bundleOf(id);
      expect(existsSync(bundle), id).toBe(true);
      const env: Record<string, string> = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: id };
      for (const [key, value] of Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>)) {
        env[key] = typeof value === 'string' ? value : (deployed[key] ?? `unresolved-${key}`);
      }
      // A fresh Node process per bundle, like a cold start: module state and environment stay
      // out of this test process.
      const out = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); console.log(typeof m.handler);`],
        { env, encoding: 'utf8', timeout: 30_000 },
      );
      expect(out.trim(), id).toBe('function');
    }
  });

  it('are bundled as scripts/bundle.ts bundles them, which is what `npm run bench` measures', async () => {
    // Same options but the banner's spelling (a few bytes): a setting added to one build and not
    // the other (an alias, minification) shows up as kilobytes.
    const dir = mkdtempSync(path.join(outdir, 'bundle-'));
    for (const name of ['Worker', 'Ingest'] as const) {
      const staged = readFileSync(bundleOf(functionId(name))).byteLength;
      const { bytes } = await bundle(name === 'Worker' ? 'worker' : 'ingest', dir);
      expect(Math.abs(staged - bytes), name).toBeLessThan(64);
    }
  }, 60_000);

  it('keep the badge and page code off the webhook path', () => {
    // badge-maker's width tables are what made the old single bundle large; the marker is
    // checked on the web bundle too, so this test cannot pass by looking for the wrong thing.
    const ingest = readFileSync(bundleOf(functionId('Ingest')), 'utf8');
    const web = readFileSync(bundleOf(functionId('Web')), 'utf8');
    expect(web).toContain('Verdana');
    expect(ingest).not.toContain('Verdana');
    // The ingest function carries the AWS SDK (tree-shaken), which gets it to its first answer in
    // about half the time of loading the runtime's copy (bench/first-request.ts); our own code
    // alone is held to 150,000 bytes by `npm run bench`. Powertools' logger and metrics add ~70 KiB.
    expect(Buffer.byteLength(ingest)).toBeLessThan(640 * 1024);
    expect(ingest).toContain('GetSecretValue');
  });

  it('carry only names and URLs in their environment, never a secret', () => {
    const secretId = ofType('AWS::SecretsManager::Secret')[0]?.[0];
    for (const [id, fn] of functions()) {
      const env = fn.Properties.Environment.Variables as Record<string, unknown>;
      for (const key of Object.keys(env)) expect(FUNCTION_ENV_KEYS, `${id} ${key}`).toContain(key);
      expect(env.SECRET_ARN, id).toEqual({ Ref: secretId });
      const text = JSON.stringify(env);
      expect(text, id).not.toMatch(/PRIVATE KEY|resolve:secretsmanager|SecretString/);
      // A secret pasted into context would show up as a long opaque literal.
      for (const value of Object.values(env)) {
        if (typeof value === 'string') expect(value, `${id}`).not.toMatch(/^[A-Za-z0-9+/=_-]{32,}$/);
      }
    }
  });

  it('give each function the variables it needs', () => {
    const env = (name: string) => Object.keys(resources[functionId(name)]?.Properties.Environment.Variables).sort();
    const common = ['GITHUB_API_URL', 'NODE_OPTIONS', 'SECRET_ARN', 'TABLE_NAME'];
    expect(env('Ingest')).toEqual([...common, 'QUEUE_URL'].sort());
    // Web neither enqueues nor is told its own URL (it reads the request's Host instead).
    expect(env('Web')).toEqual(common);
    expect(env('Worker')).toEqual([...common, 'PUBLIC_URL'].sort());
    expect(env('Scheduled')).toEqual([...common, 'PUBLIC_URL', 'QUEUE_URL'].sort());
    expect(resources[functionId('Ingest')]?.Properties.Environment.Variables.GITHUB_API_URL).toBe('https://api.github.com');
  });

  it('log to their own log group, kept 30 days by default', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(4);
    for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(30);
    const used = functions().map(([, fn]) => fn.Properties.LoggingConfig.LogGroup.Ref).sort();
    expect(used).toEqual(groups.map(([id]) => id).sort());
  });

  it('serve ingest and web each on a public Function URL (the webhook HMAC is the authentication; pages are public)', () => {
    const urls = ofType('AWS::Lambda::Url');
    expect(urls).toHaveLength(2);
    for (const [, url] of urls) expect(url.Properties.AuthType).toBe('NONE');
    expect(urls.map(([, url]) => url.Properties.TargetFunctionArn['Fn::GetAtt'][0]).sort()).toEqual(
      [functionId('Ingest'), functionId('Web')].sort(),
    );
  });

  it('run the scheduled function every 5 minutes without async retries', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('Scheduled'), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId('Scheduled') },
      MaximumRetryAttempts: 0,
    });
  });
});

describe('queues', () => {
  it('are FIFO (one repository at a time, in order), encrypted, and refuse plain HTTP', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues).toHaveLength(2);
    for (const [id] of queues) {
      expect(resources[id]?.Properties.FifoQueue, id).toBe(true);
      expect(resources[id]?.Properties.SqsManagedSseEnabled, id).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it(`move a message to the dead-letter queue after ${MAX_RECEIVE_COUNT} receives`, () => {
    const work = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('WorkQueue'));
    const dlq = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('DeadLetterQueue'));
    expect(work?.[1].Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq?.[0], 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(dlq?.[1].Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it('give the worker at least 6x its timeout before a message becomes visible again', () => {
    const work = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('WorkQueue'));
    const workerTimeout = resources[functionId('Worker')]?.Properties.Timeout as number;
    expect(work?.[1].Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * workerTimeout);
  });

  it('feed the worker in small batches, at most 5 workers at once, and report partial batch failures', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    const [, mapping] = ofType('AWS::Lambda::EventSourceMapping')[0] ?? [];
    expect(mapping?.Properties).toMatchObject({
      FunctionName: { Ref: functionId('Worker') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    expect(mapping?.Properties.BatchSize).toBeLessThanOrEqual(10);
  });
});

describe('table', () => {
  it('uses the schema keys, on-demand billing, TTL and point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttl, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('has the secondary indexes of the local table definition, each projecting only what its queries read', () => {
    const [, table] = ofType('AWS::DynamoDB::Table')[0] ?? [];
    const deployed = table?.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
    const local = tableDefinition('t').GlobalSecondaryIndexes!;
    expect(deployed.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection }))).toEqual(
      local.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection })),
    );
    expect(deployed.map((i) => i.Projection)).not.toContainEqual({ ProjectionType: 'ALL' });
    expect(deployed.map((i) => i.IndexName)).toEqual([GSI.byCommit.name, GSI.byRef.name, GSI.due.name]);
  });

  it('survives cdk destroy and replacement', () => {
    const [, table] = ofType('AWS::DynamoDB::Table')[0] ?? [];
    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('secret', () => {
  it('generates the webhook secret and leaves placeholders for the App id and key', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: JSON.stringify({ appId: '', privateKey: '' }),
        GenerateStringKey: 'webhookSecret',
      },
    });
  });
});

describe('IAM', () => {
  const allowStatements = () =>
    ofType('AWS::IAM::Policy').flatMap(([id, policy]) =>
      (policy.Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[]; Resource: unknown }[])
        .filter((s) => s.Effect === 'Allow')
        .map((s) => ({ id, roles: policy.Properties.Roles, actions: [s.Action].flat(), resource: JSON.stringify(s.Resource) })),
    );

  it('grants no wildcard action', () => {
    const statements = allowStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      for (const action of s.actions) expect(action, s.id).not.toMatch(/^\*$|:\*$/);
    }
  });

  it('scopes every data permission to the stack’s own table, queue or secret', () => {
    const ids = (type: string) => ofType(type).map(([id]) => id);
    const data = [...ids('AWS::DynamoDB::Table'), ...ids('AWS::SQS::Queue'), ...ids('AWS::SecretsManager::Secret')];
    for (const s of allowStatements()) {
      if (!s.actions.some((a) => /^(dynamodb|sqs|secretsmanager):/.test(a))) continue;
      expect(s.resource, s.id).not.toBe('"*"');
      expect(data.some((id) => s.resource.includes(`"${id}"`)), s.id).toBe(true);
    }
  });

  it('lets only ingest and scheduled enqueue, and nobody write the secret', () => {
    const senders = allowStatements()
      .filter((s) => s.actions.includes('sqs:SendMessage'))
      .map((s) => JSON.stringify(s.roles));
    expect(senders).toHaveLength(2);
    expect(senders.join()).toMatch(/IngestRole/);
    expect(senders.join()).toMatch(/ScheduledRole/);
    const secretActions = allowStatements().flatMap((s) => s.actions.filter((a) => a.startsWith('secretsmanager:')));
    expect(new Set(secretActions)).toEqual(new Set(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']));
  });

  it('lets the web function only read: no table writes, no queue, the secret read-only', () => {
    const actionsOf = (rolePrefix: string) =>
      allowStatements()
        .filter((s) => JSON.stringify(s.roles).includes(`"${rolePrefix}`))
        .flatMap((s) => s.actions);
    const web = actionsOf('WebRole');
    expect(web).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'secretsmanager:GetSecretValue']));
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    for (const action of writes) expect(web, action).not.toContain(action);
    expect(web.filter((a) => a.startsWith('sqs:'))).toEqual([]);
    // The same filter finds the writes where they belong, so the checks above look at real statements.
    expect(actionsOf('IngestRole')).toEqual(expect.arrayContaining([...writes, 'sqs:SendMessage']));
  });

  it('attaches no AWS managed policy to the function roles', () => {
    for (const [id, role] of ofType('AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
  });
});

describe('alarms', () => {
  const alarms = (t: Template) => Object.values(t.findResources('AWS::CloudWatch::Alarm')) as Resource[];

  it('watch the dead-letter queue, the age of queued work, and each function’s errors and throttles', () => {
    const dlq = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('DeadLetterQueue'))?.[0];
    const work = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('WorkQueue'))?.[0];
    const watched = alarms(template).filter((a) => String(a.Properties.Namespace).startsWith('AWS/')).map((a) => {
      const dimension = a.Properties.Dimensions[0].Value as { Ref?: string; 'Fn::GetAtt'?: string[] };
      return `${a.Properties.MetricName} ${dimension.Ref ?? dimension['Fn::GetAtt']?.[0]} >= ${a.Properties.Threshold}`;
    });
    expect(watched.sort()).toEqual(
      [
        `ApproximateNumberOfMessagesVisible ${dlq} >= 1`,
        `ApproximateAgeOfOldestMessage ${work} >= 900`,
        ...['Ingest', 'Web', 'Worker', 'Scheduled'].flatMap((name) => [
          `Errors ${functionId(name)} >= 1`,
          `Throttles ${functionId(name)} >= 1`,
        ]),
      ].sort(),
    );
    for (const alarm of alarms(template)) {
      expect(alarm.Properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  it('watch meaning: no webhook accepted for 24 hours while repositories are installed, a dispatch lost, a poison message', () => {
    const byId = template.findResources('AWS::CloudWatch::Alarm');
    const silent = Object.entries(byId).find(([id]) => id.startsWith('NoWebhookAccepted'))?.[1] as Resource;
    const props = silent.Properties;
    // Hourly, a whole day of silent hours, while the scheduled pass counts installed repositories.
    expect(props).toMatchObject({ EvaluationPeriods: 24, DatapointsToAlarm: 24, Threshold: 1, TreatMissingData: 'notBreaching' });
    const expression = props.Metrics.find((m: any) => m.Expression);
    expect(expression.Expression).toBe('IF(installed > 0 AND FILL(accepted, 0) == 0, 1, 0)');
    expect(expression.ReturnData).not.toBe(false);
    const metric = (id: string) => props.Metrics.find((m: any) => m.Id === id).MetricStat;
    expect(metric('installed')).toMatchObject({ Metric: { Namespace: 'Arm64Ci', MetricName: 'InstalledRepositories', Dimensions: [{ Name: 'service', Value: 'arm64-ci' }] }, Period: 3600, Stat: 'Maximum' });
    expect(metric('accepted')).toMatchObject({ Metric: { Namespace: 'Arm64Ci', MetricName: 'WebhooksAccepted' }, Period: 3600, Stat: 'Sum' });

    const single = (prefix: string) => (Object.entries(byId).find(([id]) => id.startsWith(prefix))?.[1] as Resource).Properties;
    expect(single('DispatchLost')).toMatchObject({
      Namespace: 'Arm64Ci',
      MetricName: 'ReconcilerActions',
      Dimensions: expect.arrayContaining([{ Name: 'action', Value: 'lost' }, { Name: 'service', Value: 'arm64-ci' }]),
      Statistic: 'Sum',
      Threshold: 1,
    });
    expect(single('PoisonMessages')).toMatchObject({ Namespace: 'Arm64Ci', MetricName: 'PoisonMessages', Threshold: 1 });
  });

  it('the silence alarm takes its hours from context, within what CloudWatch accepts', () => {
    const t = synth({ noWebhookAlarmHours: 6 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { EvaluationPeriods: 6, DatapointsToAlarm: 6, Metrics: Match.anyValue() });
    expect(() => synth({ noWebhookAlarmHours: 25 })).toThrow(/noWebhookAlarmHours/);
  });

  it('notify a new encrypted topic, with an email subscription, when alarmEmail is set', () => {
    const t = synth({ alarmEmail: 'ops@example.com' });
    const topics = Object.keys(t.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    const keys = Object.keys(t.findResources('AWS::KMS::Key'));
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keys[0], 'Arn'] } });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    for (const alarm of alarms(t)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topics[0] }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topics[0] }]);
    }
  });

  it('notify an existing topic when alarmTopicArn is set, creating none', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:ops-alerts';
    const t = synth({ alarmTopicArn: arn });
    t.resourceCountIs('AWS::SNS::Topic', 0);
    t.resourceCountIs('AWS::KMS::Key', 0);
    expect(alarms(t)).toHaveLength(13);
    for (const alarm of alarms(t)) expect(alarm.Properties.AlarmActions).toEqual([arn]);
  });
});

describe('dashboard', () => {
  it('shows webhooks, dispatches, queue time p50/p90, failures, the dead-letter queue, and each function’s errors and duration', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties.DashboardName).toBe('Arm64Ci');
    // The body is JSON with the stack's references (queue names, function names) joined in.
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    const widgets = (JSON.parse(
      (dashboards[0]!.Properties.DashboardBody['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'REF')).join(''),
    ) as { widgets: { properties: { title: string; metrics?: unknown[][] } }[] }).widgets;
    const titles = widgets.map((w) => w.properties.title);
    expect(titles).toEqual(expect.arrayContaining(['Webhooks', 'Dispatches', 'Queue time (dispatch → runner starts the job)', 'Failures', 'Queues', 'Lambda errors', 'Lambda duration p90']));
    const metricsOf = (title: string) => JSON.stringify(widgets.find((w) => w.properties.title === title)!.properties.metrics);
    expect(metricsOf('Webhooks')).toContain('WebhooksAccepted');
    expect(metricsOf('Webhooks')).toContain('MetricName=\\"WebhooksRejected\\"');
    expect(metricsOf('Dispatches')).toContain('Dispatches');
    expect(metricsOf('Queue time (dispatch → runner starts the job)')).toMatch(/"QueueTime".*"stat":"p50".*"QueueTime".*"stat":"p90"/);
    expect(metricsOf('Failures')).toContain('"action","lost"');
    expect(metricsOf('Queues')).toContain('ApproximateNumberOfMessagesVisible');
    for (const name of ['Ingest', 'Web', 'Worker', 'Scheduled']) {
      expect(body).toContain(`{"Ref":"${functionId(name)}"}`);
    }
    expect(metricsOf('Lambda errors').match(/"Errors"/g)).toHaveLength(4);
    expect(metricsOf('Lambda duration p90').match(/"Duration"/g)).toHaveLength(4);
  });
});

describe('outputs', () => {
  const refersTo = (value: unknown, url: string) => JSON.stringify(value).includes(`"${url}","FunctionUrl"`);

  it('give the webhook URL (ingest), the badge base and public URLs (web), secret and table', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(['BadgeBaseUrl', 'PublicUrl', 'SecretName', 'TableName', 'WebhookUrl']);
    const ingest = urlId('Ingest');
    const web = urlId('Web');
    for (const [name, from, notFrom, suffix] of [
      ['WebhookUrl', ingest, web, '/api/github/webhooks'],
      ['BadgeBaseUrl', web, ingest, '/badges/'],
    ] as const) {
      const value = outputs[name]?.Value;
      expect(refersTo(value, from), name).toBe(true);
      expect(refersTo(value, notFrom), name).toBe(false);
      expect(JSON.stringify(value), name).toContain(`"${suffix}"`);
    }
    // The dashboard is the web URL's origin, which is also what the worker and scheduled link to.
    const publicUrl = outputs.PublicUrl?.Value;
    expect(refersTo(publicUrl, web)).toBe(true);
    expect(refersTo(publicUrl, ingest)).toBe(false);
    for (const name of ['Worker', 'Scheduled']) {
      expect(resources[functionId(name)]?.Properties.Environment.Variables.PUBLIC_URL, name).toEqual(publicUrl);
    }
  });

  it('use publicUrl for the web side when set, and pass it to every function that makes links', () => {
    const t = synth({ publicUrl: 'https://ci.example.com/', githubApiUrl: 'https://ghe.example.com/api/v3' });
    const outputs = t.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.BadgeBaseUrl?.Value).toBe('https://ci.example.com/badges/');
    expect(outputs.PublicUrl?.Value).toBe('https://ci.example.com');
    // The custom domain fronts the web function only: GitHub keeps posting to ingest's own URL.
    const ingestUrl = Object.entries(t.findResources('AWS::Lambda::Url')).find(([, url]) =>
      String(url.Properties.TargetFunctionArn['Fn::GetAtt'][0]).startsWith('Ingest'),
    )?.[0];
    expect(ingestUrl).toBeDefined();
    expect(refersTo(outputs.WebhookUrl?.Value, ingestUrl ?? '')).toBe(true);
    expect(JSON.stringify(outputs.WebhookUrl?.Value)).toContain('"/api/github/webhooks"');
    const fns = Object.entries(t.findResources('AWS::Lambda::Function')) as [string, Resource][];
    expect(fns).toHaveLength(4);
    for (const [id, fn] of fns) {
      const env = fn.Properties.Environment.Variables;
      expect(env.PUBLIC_URL, id).toBe(id.startsWith('Ingest') ? undefined : 'https://ci.example.com');
      expect(env.GITHUB_API_URL, id).toBe('https://ghe.example.com/api/v3');
    }
  });
});

describe('context settings', () => {
  it('set LOG_LEVEL on every function when logLevel is given, and refuse a level the functions would not know', () => {
    const t = synth({ logLevel: 'DEBUG' });
    const fns = Object.values(t.findResources('AWS::Lambda::Function')) as Resource[];
    expect(fns.map((fn) => fn.Properties.Environment.Variables.LOG_LEVEL)).toEqual(['debug', 'debug', 'debug', 'debug']);
    expect(functions().map(([, fn]) => fn.Properties.Environment.Variables.LOG_LEVEL)).toEqual([undefined, undefined, undefined, undefined]);
    expect(() => synth({ logLevel: 'verbose' })).toThrow(/logLevel/);
  });

  it('reserve ingest concurrency, bound the worker and set log retention when asked', () => {
    const t = synth({ ingestReservedConcurrency: '20', webReservedConcurrency: '10', workerMaxConcurrency: 10, logRetentionDays: 90, githubRateLimitReserve: 800 });
    const fns = t.toJSON().Resources as Record<string, Resource>;
    // The GitHub rate-limit reserve reaches the functions that call GitHub, and only those.
    for (const [id, r] of Object.entries(fns).filter(([, r]) => r.Type === 'AWS::Lambda::Function')) {
      const expected = id.startsWith('Worker') || id.startsWith('Scheduled') ? '800' : undefined;
      expect(r.Properties.Environment.Variables.GITHUB_RATE_LIMIT_RESERVE, id).toBe(expected);
    }
    const ingest = Object.entries(fns).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('Ingest'));
    expect(ingest?.[1].Properties.ReservedConcurrentExecutions).toBe(20);
    const web = Object.entries(fns).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('Web'));
    expect(web?.[1].Properties.ReservedConcurrentExecutions).toBe(10);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 10 } });
    for (const group of Object.values(t.findResources('AWS::Logs::LogGroup')) as Resource[]) {
      expect(group.Properties.RetentionInDays).toBe(90);
    }
  });

  it('reject values CloudWatch or Lambda would refuse at deploy time', () => {
    expect(() => synth({ logRetentionDays: 31 })).toThrow(/logRetentionDays/);
    expect(() => synth({ workerMaxConcurrency: 1 })).toThrow(/workerMaxConcurrency" must be an integer >= 2/);
    expect(() => synth({ ingestReservedConcurrency: 'lots' })).toThrow(/ingestReservedConcurrency/);
    expect(() => synth({ webReservedConcurrency: 0 })).toThrow(/webReservedConcurrency/);
    expect(() => synth({ githubRateLimitReserve: -1 })).toThrow(/githubRateLimitReserve" must be an integer >= 0/);
  });
});

describe('GitHub App manifest (app.yml)', () => {
  const manifest = parse(readFileSync(path.join(ROOT, 'app.yml'), 'utf8')) as {
    default_events: string[];
    default_permissions: Record<string, string>;
    hook_attributes: { url: string; active: boolean };
  };

  it('subscribes to every event the coordinator handles, and no other', () => {
    // GitHub sends these to every App; they cannot be subscribed to.
    const alwaysSent = ['installation', 'installation_repositories'];
    expect([...manifest.default_events].sort()).toEqual(HANDLED_EVENTS.filter((e) => !alwaysSent.includes(e)).sort());
  });

  it('asks for write access only where the coordinator writes', () => {
    const writes = Object.entries(manifest.default_permissions)
      .filter(([, level]) => level === 'write')
      .map(([name]) => name)
      .sort();
    expect(writes).toEqual(['actions', 'checks', 'issues']);
    expect(manifest.hook_attributes.active).toBe(true);
  });
});
