// Check-run annotations for failing tests: one per test, pinned to a line of the repository.
// Pure: no I/O, no clock.
import { displayName, isFailing, type TestCaseResult } from '../test-results';
import { clip, clipBytes } from '../text';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure';
  title: string;
  message: string;
}

const MAX_TITLE_CHARS = 255;
const MAX_ANNOTATION_MESSAGE_BYTES = 64 * 1024;

/**
 * Check-run annotations for failed and errored tests, at most `max`: one per test, even when
 * several matrix files report the same failure (they would all point at the same line). A test
 * without a usable repository path is pinned to the workflow file, line 1, so it still shows on
 * the pull request.
 */
export function selectAnnotations(
  tests: TestCaseResult[],
  args: { max: number; workflowPath: string },
): CheckAnnotation[] {
  const failures = new Map<string, number>();
  for (const t of tests) if (isFailing(t.outcome)) failures.set(t.id, (failures.get(t.id) ?? 0) + 1);
  const done = new Set<string>();
  const out: CheckAnnotation[] = [];
  for (const t of tests) {
    if (out.length >= args.max) break;
    if (!isFailing(t.outcome) || done.has(t.id)) continue;
    done.add(t.id);
    const times = failures.get(t.id) ?? 1;
    const path = t.file === null ? null : repoRelative(t.file);
    const line = path === null ? 1 : Math.max(1, t.line ?? 1);
    const verb = t.outcome === 'errored' ? 'Error' : 'Failed';
    const where =
      (path === null && t.file !== null ? `\n(reported in ${t.file})` : '') +
      (times > 1 ? `\n(failed in ${times} result files)` : '');
    const body = [t.message, t.details && t.details !== t.message ? t.details : null]
      .filter((s): s is string => !!s)
      .join('\n\n');
    out.push({
      path: path ?? args.workflowPath,
      start_line: line,
      end_line: line,
      annotation_level: 'failure',
      title: clip(`${verb}: ${displayName(t)}`, MAX_TITLE_CHARS),
      message: clipBytes(`${body || `The test ${t.outcome === 'errored' ? 'errored' : 'failed'}.`}${where}`, MAX_ANNOTATION_MESSAGE_BYTES, '\n… (trimmed)'),
    });
  }
  return out;
}

/**
 * Reporters often write absolute runner paths (/home/runner/work/repo/repo/src/x.ts, or
 * …/_work/repo/repo/… on self-hosted runners); annotations need a path inside the repository.
 * Returns null when no repository-relative path can be told.
 */
function repoRelative(file: string): string | null {
  let p = file.replace(/\\/g, '/');
  const runner = /\/_?work\/([^/]+)\/\1\/(.+)$/.exec(p);
  if (runner?.[2]) p = runner[2];
  else if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) return null;
  p = p.replace(/^(?:\.\/)+/, '');
  return p === '' || p.split('/').includes('..') ? null : p;
}
