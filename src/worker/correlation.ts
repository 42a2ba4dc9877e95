/**
 * The keys every log line of a delivery carries, read from its payload where the event has them:
 * one log query (`repository`, `sha`) then finds everything that happened to a commit.
 */
export function correlationKeys(event: string, payload: object): Record<string, string> {
  const p = payload as Record<string, unknown>;
  const keys: Record<string, string> = {};
  const repo = (p.repository as { full_name?: unknown } | null | undefined)?.full_name;
  if (typeof repo === 'string') keys.repository = repo;
  const sha = shaOf(event, p);
  if (sha) keys.sha = sha;
  return keys;
}

function shaOf(event: string, p: Record<string, unknown>): string | null {
  const field = (obj: unknown, key: string) => {
    const v = (obj as Record<string, unknown> | null | undefined)?.[key];
    return typeof v === 'string' ? v : null;
  };
  switch (event) {
    case 'push':
      return field(p, 'after');
    case 'pull_request':
      return field((p.pull_request as { head?: unknown } | undefined)?.head, 'sha');
    case 'workflow_run':
      return field(p.workflow_run, 'head_sha');
    case 'workflow_job':
      return field(p.workflow_job, 'head_sha');
    case 'check_run':
      return field(p.check_run, 'head_sha');
    case 'check_suite':
      return field(p.check_suite, 'head_sha');
    default:
      return null;
  }
}
