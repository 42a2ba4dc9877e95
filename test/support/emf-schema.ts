/**
 * CloudWatch's embedded metric format, as its specification describes it
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * as a JSON schema for ajv, plus the references a schema cannot express (checked in emfProblems).
 */
export const EMF_SCHEMA = {
  type: 'object',
  required: ['_aws'],
  properties: {
    _aws: {
      type: 'object',
      required: ['Timestamp', 'CloudWatchMetrics'],
      properties: {
        Timestamp: { type: 'integer', minimum: 0 },
        CloudWatchMetrics: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['Namespace', 'Dimensions', 'Metrics'],
            properties: {
              Namespace: { type: 'string', minLength: 1, maxLength: 1024, pattern: '^[^:].*$' },
              Dimensions: {
                type: 'array',
                items: { type: 'array', minItems: 0, maxItems: 30, items: { type: 'string', minLength: 1, maxLength: 250 } },
              },
              Metrics: {
                type: 'array',
                minItems: 1,
                maxItems: 100,
                items: {
                  type: 'object',
                  required: ['Name'],
                  properties: {
                    Name: { type: 'string', minLength: 1, maxLength: 1024 },
                    Unit: {
                      enum: ['Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None'],
                    },
                    StorageResolution: { enum: [1, 60] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** What the schema cannot say: every referenced dimension is a string member, every metric a number (or up to 100). */
export function emfProblems(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  const aws = doc._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  for (const directive of aws.CloudWatchMetrics) {
    for (const dim of directive.Dimensions.flat()) {
      if (typeof doc[dim] !== 'string') out.push(`dimension ${dim} is not a string member of the root`);
    }
    for (const { Name } of directive.Metrics) {
      const v = doc[Name];
      const ok = typeof v === 'number' || (Array.isArray(v) && v.length > 0 && v.length <= 100 && v.every((x) => typeof x === 'number'));
      if (!ok) out.push(`metric ${Name} has no numeric value at the root`);
    }
  }
  return out;
}
