import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it, vi } from 'vitest';
import { Arm64CiStack } from './stack';

// cdk-nag 3 runs as a CDK policy-validation plugin; rules are acknowledged in the stack with
// `Validations.of(construct).acknowledge({ id, reason })` (v3's replacement for NagSuppressions).

const CONFIGS: Record<string, Record<string, string>> = {
  'no alarm topic': {},
  'a new alarm topic (alarmEmail)': { alarmEmail: 'ops@example.com' },
  'an existing alarm topic (alarmTopicArn)': { alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops' },
};

function build(context: Record<string, string>) {
  // The rules read the template, not the code: skip bundling to keep this fast.
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new Arm64CiStack(app, 'Arm64Ci');
  return { app, stack };
}

function describeViolations(report: ReturnType<AwsSolutionsChecks['validateScope']>): string[] {
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}: ${v.description}`),
  );
}

function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          // CDK files ids without a namespace under "Annotation::"; cdk-nag matches them without it.
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe.each(Object.entries(CONFIGS))('AwsSolutions checks with %s', (_name, context) => {
  it('report no unacknowledged error or warning', () => {
    const { app, stack } = build(context);

    const report = new AwsSolutionsChecks(app).validateScope(stack);

    expect(describeViolations(report)).toEqual([]);
  });
});

describe('AwsSolutions checks inside CDK validation', () => {
  it('let synthesis pass, as `cdk synth` would run them', { timeout: 60_000 }, () => {
    const { app } = build({});
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).not.toThrow();
  });
});

describe('acknowledged rules', () => {
  it('each carry a reason a reviewer can check', () => {
    const { stack } = build(CONFIGS['a new alarm topic (alarmEmail)'] ?? {});
    const acks = acknowledgments(stack);

    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(60);
      expect(ack.reason, `${ack.path} ${ack.id}`).not.toMatch(/\b(todo|fixme|tbd|n\/a|not needed|suppress(ed)?)\b/i);
    }
  });

  it('are each still needed: without them, exactly those rules fire, on exactly those constructs', () => {
    const acks = acknowledgments(build(CONFIGS['a new alarm topic (alarmEmail)'] ?? {}).stack);

    const spy = vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    let fired: { path: string; id: string }[];
    try {
      const { app, stack } = build(CONFIGS['a new alarm topic (alarmEmail)'] ?? {});
      fired = new AwsSolutionsChecks(app)
        .validateScope(stack)
        .violations.flatMap((v) => v.violatingResources.map((r) => ({ path: r.constructPath ?? '', id: v.ruleName })));
    } finally {
      spy.mockRestore();
    }
    // An acknowledgement covers its construct and everything under it (a role's default policy).
    const covers = (ack: { path: string; id: string }, hit: { path: string; id: string }) =>
      ack.id === hit.id && (hit.path === ack.path || hit.path.startsWith(`${ack.path}/`));
    for (const hit of fired) expect(acks.some((ack) => covers(ack, hit)), `${hit.path} ${hit.id}`).toBe(true);
    for (const ack of acks) expect(fired.some((hit) => covers(ack, hit)), `${ack.path} ${ack.id}`).toBe(true);
  });

  it('accept the table-index wildcard on each function role, the web role for reading only', () => {
    const acks = acknowledgments(build({}).stack).filter((a) => /^AwsSolutions-IAM5\[Resource::<\w+\.Arn>\/index\/\*\]$/.test(a.id));

    expect(acks.map((a) => a.path).sort()).toEqual(
      ['Arm64Ci/IngestRole', 'Arm64Ci/ScheduledRole', 'Arm64Ci/WebRole', 'Arm64Ci/WorkerRole'],
    );
    // Each reason names the grant that added the wildcard; the web role's is the read-only one.
    for (const ack of acks) {
      expect(ack.reason, ack.path).toMatch(ack.path.endsWith('/WebRole') ? /table\.grantReadData\b/ : /table\.grantReadWriteData\b/);
    }
  });
});
