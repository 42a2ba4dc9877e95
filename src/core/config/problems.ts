/** Config problems as the failed check run shows them: each at its line and field, the file's fix in one place. */
import { codeSpan } from '../markdown';
import { CONFIG_PATH } from './schema';

/** One thing wrong in the config file: where (dotted path, line and column when known) and what. */
export interface ConfigProblem {
  path: string;
  line: number | null;
  column: number | null;
  message: string;
}

/** At most this many problems are listed in a check run summary; the rest are counted. */
const MAX_LISTED_PROBLEMS = 50;

export function renderConfigProblems(problems: ConfigProblem[]): { title: string; summary: string } {
  const n = problems.length;
  const title = `Invalid ${CONFIG_PATH}: ${n} ${n === 1 ? 'problem' : 'problems'}`;
  const lines = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => {
    const where = [p.line !== null ? `line ${p.line}` : null, p.path !== '' ? codeSpan(p.path) : null]
      .filter((x) => x !== null)
      .join(', ');
    const subject = where === '' ? 'the file' : where;
    return `- ${subject}: ${p.message.replace(/\r?\n|\r/g, ' ')}`;
  });
  if (n > MAX_LISTED_PROBLEMS) lines.push(`- …and ${n - MAX_LISTED_PROBLEMS} more`);
  const summary = [
    `The arm64 CI coordinator could not use \`${CONFIG_PATH}\`, so nothing was dispatched.`,
    '',
    ...lines,
    '',
    'The file is read from the repository\u2019s default branch (a pull request cannot change it): ' +
      'fix it there, then push again.',
  ].join('\n');
  return { title, summary };
}
