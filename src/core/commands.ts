/**
 * Slash commands in pull-request comments: `/arm64 run [target] [key=value …]`, `retest [target]`, `cancel`,
 * `status`, `help` (behind a per-repository prefix) and `/ok-to-test` (no prefix).
 *
 * A command is a line that GitHub renders as a plain paragraph line starting with the command
 * (plain-lines.ts, which reads the comment with a CommonMark parser): never a line in an HTML
 * comment or other raw HTML, a `<details>` block, a code span or code block, a block quote (lazy
 * continuation lines included), a list item, a table, a heading or a link. A reader sees every
 * command the bot acts on. A line that starts as a plain command but also holds code, HTML, a link
 * or emphasis is answered as `invalid` (what GitHub shows differs from what was typed).
 *
 * Pure, never throws for any body, and cheap for comments without commands: the Markdown parser
 * runs only when some line reads as a command on its own. Whoever acts on the result checks the
 * author's permission; this module only reads text.
 */
import { isTargetName, TARGET_NAME_RULE } from './config/target-name';
import { editDistance } from './edit-distance';
import { plainLines } from './plain-lines';
import { clip } from './text';

export type Command =
  /**
   * `target`: the first argument when it has no `=` (`/arm64 run dgx key=value`). Only its form is
   * checked here; whether the repository has such a target is the caller's question
   * (resolveTargets in ./config/targets.ts). Absent: every target.
   */
  | { kind: 'run'; overrides: Record<string, string>; line: number; target?: string }
  | { kind: 'retest'; line: number; target?: string }
  | { kind: 'cancel'; line: number }
  | { kind: 'status'; line: number }
  | { kind: 'help'; line: number }
  /** `sha`: the explicit form `/ok-to-test <sha>` (7 to 40 hex characters, lower-cased). */
  | { kind: 'ok-to-test'; line: number; sha?: string }
  | { kind: 'unknown'; name: string; line: number; suggestion: string | null }
  | { kind: 'invalid'; name: string; line: number; error: string };

/** The one table the parser and the help text share: adding a command starts here. */
export const COMMANDS = [
  {
    name: 'run',
    args: '[key=value …]',
    description: "Run the arm64 workflow on the pull request's head commit, optionally overriding inputs",
  },
  { name: 'retest', args: '', description: 'Run the arm64 workflow again on the head commit' },
  { name: 'cancel', args: '', description: 'Cancel the arm64 runs in progress for this pull request' },
  { name: 'status', args: '', description: 'Reply with the state of the latest arm64 run' },
  { name: 'help', args: '', description: 'Reply with this list of commands' },
] as const satisfies readonly { name: string; args: string; description: string }[];

type CommandName = (typeof COMMANDS)[number]['name'];

/** Written without the repository prefix; it approves a fork's head commit. */
const OK_TO_TEST = {
  name: '/ok-to-test',
  args: '[sha]',
  description:
    "Allow the arm64 workflow to run on this fork's head commit, as shown waiting before the comment (needs the commands permission); `sha` names that commit",
} as const;

/**
 * At most this many items per comment. One comment must not fan out into an unbounded number of
 * dispatches, replies and reactions (each costs API quota and runner time).
 */
export const MAX_COMMANDS = 10;

/** Keys of `run key=value`: the characters GitHub allows in workflow input names. */
const KEY_RE = /^[A-Za-z0-9_.-]+$/;

/**
 * A prefix is `/` and a word (`/arm64`, `/ci`, `/dgx-ci`). Whitespace would make the first token
 * ambiguous, and `/ok-to-test` is taken. The config schema should use this so a bad prefix is a
 * config error rather than an exception here.
 */
export function isValidPrefix(prefix: string): boolean {
  return /^\/[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(prefix) && prefix.toLowerCase() !== OK_TO_TEST.name;
}

function assertPrefix(prefix: string): void {
  if (!isValidPrefix(prefix)) {
    throw new RangeError(
      `invalid command prefix ${JSON.stringify(prefix)}: expected "/" followed by letters, digits, "_", "." or "-"`,
    );
  }
}

// Common words for a command: "/arm64 rerun" → "retest" is 4 edits away, so edit
// distance alone would not find it.
const SYNONYMS: Readonly<Record<string, CommandName>> = {
  rerun: 'retest',
  're-run': 'retest',
  retry: 'retest',
  restart: 'retest',
  rebuild: 'retest',
  're-test': 'retest',
  test: 'run',
  build: 'run',
  start: 'run',
  trigger: 'run',
  dispatch: 'run',
  stop: 'cancel',
  abort: 'cancel',
  kill: 'cancel',
  info: 'status',
  state: 'status',
  '?': 'help',
  '-h': 'help',
  '--help': 'help',
  usage: 'help',
  commands: 'help',
};

const NAMES: readonly CommandName[] = COMMANDS.map((c) => c.name);

/**
 * What the user probably meant: a known synonym, else the only command the word starts (2+
 * letters, so `/arm64 can` → `cancel` rather than `run`), else the closest name within 2 edits
 * (ties go to the table's order).
 */
function suggest(word: string): CommandName | null {
  const w = word.toLowerCase();
  const synonym = Object.hasOwn(SYNONYMS, w) ? SYNONYMS[w] : undefined;
  if (synonym) return synonym;
  if (w.length >= 2) {
    const starts = NAMES.filter((n) => n.startsWith(w));
    if (starts.length === 1 && starts[0]) return starts[0];
  }
  let best: CommandName | null = null;
  let bestDistance = 3;
  for (const name of NAMES) {
    const d = editDistance(w, name, 2);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** User text echoed in errors is cut short (40 characters and an ellipsis): a reply must not repeat a 60 KB token. */
const ECHO_CHARS = 41;

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Column after the leading spaces and tabs of `line` (tabs stop every 4 columns). */
function indentOf(line: string): { col: number; pos: number } {
  let col = 0;
  let pos = 0;
  for (; pos < line.length; pos++) {
    const ch = line[pos];
    if (ch === ' ') col += 1;
    else if (ch === '\t') col += 4 - (col % 4);
    else break;
  }
  return { col, pos };
}

type ArgsResult = { ok: true; overrides: Record<string, string> } | { ok: false; error: string };

/**
 * `key=value` pairs separated by blanks. A value is kept exactly as typed, quotes included
 * (`python-versions=["3.10"]` is `["3.10"]`, `k=a"b` is `a"b`), unless a quote opens it: then the
 * value is what lies between that quote and its closing one, which must end the pair.
 * `"double quotes"` take `\"` and `\\` for a quote and a backslash (any other backslash stays,
 * so Windows paths survive); `'single quotes'` are literal. The object has no prototype, so keys
 * like `__proto__` or `constructor` are plain data.
 */
function parseRunArgs(text: string, usage: string): ArgsResult {
  const overrides: Record<string, string> = Object.create(null) as Record<string, string>;
  const n = text.length;
  let i = 0;
  for (;;) {
    while (i < n && isBlank(text[i])) i++;
    if (i >= n) return { ok: true, overrides };
    const start = i;
    while (i < n && !isBlank(text[i]) && text[i] !== '=') i++;
    if (i >= n || text[i] !== '=') {
      return { ok: false, error: `expected key=value, got \`${clip(text.slice(start, i), ECHO_CHARS)}\` (usage: ${usage})` };
    }
    const key = text.slice(start, i);
    if (!KEY_RE.test(key)) {
      return {
        ok: false,
        error:
          key === ''
            ? `missing key before \`=\` (usage: ${usage})`
            : `invalid key \`${clip(key, ECHO_CHARS)}\`: keys may contain letters, digits, "_", "." and "-"`,
      };
    }
    i++; // '='
    let value: string;
    const quote = text[i];
    if (quote === "'" || quote === '"') {
      const read = quote === "'" ? singleQuoted(text, i) : doubleQuoted(text, i);
      if (!read) {
        const name = quote === "'" ? 'single' : 'double';
        return { ok: false, error: `unterminated ${name} quote in the value of \`${clip(key, ECHO_CHARS)}\`` };
      }
      if (read.end < n && !isBlank(text[read.end])) {
        return {
          ok: false,
          error: `the quoted value of \`${clip(key, ECHO_CHARS)}\` must end at its closing quote: put a space before \`${clip(text.slice(read.end).split(/[ \t]/)[0] ?? '', ECHO_CHARS)}\`, or quote the whole value`,
        };
      }
      value = read.value;
      i = read.end;
    } else {
      const begin = i;
      while (i < n && !isBlank(text[i])) i++;
      value = text.slice(begin, i);
    }
    if (Object.hasOwn(overrides, key)) return { ok: false, error: `duplicate key \`${clip(key, ECHO_CHARS)}\`` };
    overrides[key] = value;
  }
}

/** The value of `'…'` opening at `at`, and the index after its closing quote; null if unclosed. */
function singleQuoted(text: string, at: number): { value: string; end: number } | null {
  const close = text.indexOf("'", at + 1);
  return close === -1 ? null : { value: text.slice(at + 1, close), end: close + 1 };
}

/** The value of `"…"` opening at `at` (`\"` and `\\` escaped), and the index after it; null if unclosed. */
function doubleQuoted(text: string, at: number): { value: string; end: number } | null {
  const parts: string[] = [];
  const n = text.length;
  let i = at + 1;
  while (i < n) {
    const c = text[i];
    if (c === '"') return { value: parts.join(''), end: i + 1 };
    if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      parts.push(text[i + 1] as string);
      i += 2;
      continue;
    }
    // Copy the run up to the next quote or backslash in one slice.
    let j = i + 1;
    while (j < n && text[j] !== '"' && text[j] !== '\\') j++;
    parts.push(text.slice(i, j));
    i = j;
  }
  return null;
}

type LeadingTarget = { ok: true; target?: string; end: number } | { ok: false; error: string };

/**
 * The optional target that opens the arguments of `run` and `retest`: the first word, when it has
 * no `=` (a key=value pair always has one). `end` is where the rest of the arguments start.
 */
function leadingTarget(line: string, from: number): LeadingTarget {
  let start = from;
  while (start < line.length && isBlank(line[start])) start++;
  let end = start;
  while (end < line.length && !isBlank(line[end])) end++;
  const word = line.slice(start, end);
  if (word === '' || word.includes('=')) return { ok: true, end: from };
  if (!isTargetName(word))
    return {
      ok: false,
      error: `\`${clip(word, ECHO_CHARS)}\` is not a target name (${TARGET_NAME_RULE})`,
    };
  return { ok: true, target: word, end };
}

/**
 * Reads one line on its own, before anyone asks whether GitHub shows it as plain text. Returns
 * null when the line is not a command at all.
 *
 * `run` takes an optional target and key=value pairs, `retest` an optional target, the others no
 * arguments; extra words make the line `invalid` with the usage, rather than being ignored:
 * `/arm64 cancel run` or `/arm64 retest dgx please-only-lint` could mean something the bot would
 * otherwise silently do differently.
 */
function parseLine(line: string, lineNo: number, prefixLower: string, prefix: string): Command | null {
  const { col, pos } = indentOf(line);
  if (col > 3) return null; // indented code block
  let end = pos;
  while (end < line.length && !isBlank(line[end])) end++;
  const first = line.slice(pos, end).toLowerCase();
  if (first !== prefixLower && first !== OK_TO_TEST.name) return null;

  // The rest split into the command word and its arguments.
  let wordStart = end;
  while (wordStart < line.length && isBlank(line[wordStart])) wordStart++;
  let wordEnd = wordStart;
  while (wordEnd < line.length && !isBlank(line[wordEnd])) wordEnd++;
  const word = line.slice(wordStart, wordEnd);

  const noArgs = (name: string, usage: string, restFrom: number): Command | null => {
    let k = restFrom;
    while (k < line.length && isBlank(line[k])) k++;
    if (k >= line.length) return null;
    return {
      kind: 'invalid',
      name,
      line: lineNo,
      error: `\`${name}\` takes no arguments: write \`${usage}\` alone on its line`,
    };
  };

  // `/ok-to-test` alone, or naming the commit it approves: `/ok-to-test 1a2b3c4` (or the full sha).
  const okToTest = (restFrom: number): Command => {
    const args = line.slice(restFrom).split(/[ \t]+/).filter((a) => a !== '');
    const usage = `write \`${OK_TO_TEST.name}\` or \`${OK_TO_TEST.name} <sha>\` (the head commit's sha, 7 to 40 hex characters)`;
    if (args.length === 0) return { kind: 'ok-to-test', line: lineNo };
    if (args.length > 1)
      return { kind: 'invalid', name: 'ok-to-test', line: lineNo, error: `\`${OK_TO_TEST.name}\` takes at most one argument: ${usage}` };
    const sha = args[0]!;
    if (!/^[0-9a-f]{7,40}$/i.test(sha))
      return { kind: 'invalid', name: 'ok-to-test', line: lineNo, error: `\`${clip(sha, ECHO_CHARS)}\` is not a commit sha: ${usage}` };
    return { kind: 'ok-to-test', line: lineNo, sha: sha.toLowerCase() };
  };

  if (first === OK_TO_TEST.name) return okToTest(end);
  // A bare prefix is a request for help.
  if (word === '') return { kind: 'help', line: lineNo };

  const lower = word.toLowerCase();
  // `/arm64 ok-to-test` is an obvious slip for `/ok-to-test`; it needs the same permission.
  if (lower === 'ok-to-test') return okToTest(wordEnd);
  const spec = COMMANDS.find((c) => c.name === lower);
  if (!spec) return { kind: 'unknown', name: clip(word, 65), line: lineNo, suggestion: suggest(word) };
  const usage = spec.args ? `${prefix} ${spec.name} ${spec.args}` : `${prefix} ${spec.name}`;
  switch (spec.name) {
    case 'run': {
      // A first word that is no target name is read as key=value, whose error says what is wrong.
      const lead = leadingTarget(line, wordEnd);
      const args = parseRunArgs(line.slice(lead.ok ? lead.end : wordEnd), `\`${usage}\``);
      if (!args.ok) return { kind: 'invalid', name: 'run', line: lineNo, error: args.error };
      return !lead.ok || lead.target === undefined
        ? { kind: 'run', overrides: args.overrides, line: lineNo }
        : { kind: 'run', overrides: args.overrides, line: lineNo, target: lead.target };
    }
    case 'retest': {
      // A target name, or nothing: anything else could mean something the bot would silently do differently.
      const lead = leadingTarget(line, wordEnd);
      const retestUsage = `write \`${prefix} retest\` (every target) or \`${prefix} retest <target>\``;
      if (!lead.ok) return { kind: 'invalid', name: 'retest', line: lineNo, error: `${lead.error}: ${retestUsage}` };
      if (line.slice(lead.end).trim() !== '')
        return { kind: 'invalid', name: 'retest', line: lineNo, error: `\`retest\` takes at most a target name: ${retestUsage}` };
      return lead.target === undefined ? { kind: 'retest', line: lineNo } : { kind: 'retest', line: lineNo, target: lead.target };
    }
    case 'cancel':
    case 'status':
    case 'help':
      return noArgs(spec.name, usage, wordEnd) ?? { kind: spec.name, line: lineNo };
  }
}

/**
 * GitHub refuses comment bodies over 65,536 characters. A body longer than twice that (in UTF-16
 * code units, two for a character outside the Basic Multilingual Plane) is no comment, and is
 * not read: the Markdown parser's work stays bounded.
 */
export const MAX_BODY_LENGTH = 2 * 65_536;

/**
 * Every command in a comment body, in order, with 1-based line numbers (lines end at `\r\n`,
 * `\r` or `\n`). Never throws for any body; throws RangeError for a prefix that `isValidPrefix`
 * rejects (a programming error: the config schema validates it). At most MAX_COMMANDS items: when
 * a comment holds more, the first MAX_COMMANDS - 1 are returned followed by an `invalid` item, at
 * the line of the first command left out, that explains the cap.
 */
export function parseCommands(body: string, prefix: string): Command[] {
  assertPrefix(prefix);
  if (body.length > MAX_BODY_LENGTH) return [];
  const prefixLower = prefix.toLowerCase();
  // Lines that read as a command on their own. Most comments have none, and the Markdown parser
  // never runs for them.
  const candidates: Command[] = [];
  let lineNo = 0;
  let start = 0;
  const n = body.length;
  while (start <= n) {
    let end = start;
    while (end < n && body[end] !== '\n' && body[end] !== '\r') end++;
    lineNo++;
    // Cheap test before copying the line: a command starts with "/" after at most 3 columns.
    let k = start;
    while (k < end && k - start < 4 && isBlank(body[k])) k++;
    if (body[k] === '/') {
      const cmd = parseLine(body.slice(start, end), lineNo, prefixLower, prefix);
      if (cmd) candidates.push(cmd);
    }
    start = body[end] === '\r' && body[end + 1] === '\n' ? end + 2 : end + 1;
  }
  if (candidates.length === 0) return [];

  const shown = plainLines(body);
  const found: Command[] = [];
  for (const candidate of candidates) {
    const kind = shown.get(candidate.line);
    if (kind === undefined) continue; // hidden, quoted, code, a list item, …: not a command
    const cmd = kind === 'plain' ? candidate : formatted(candidate);
    if (found.length === MAX_COMMANDS) {
      const dropped = found.length - 1;
      const first = found[dropped] as Command;
      found[dropped] = {
        kind: 'invalid',
        name: nameOf(first),
        line: first.line,
        error: `too many commands in one comment: at most ${MAX_COMMANDS} are read, so the ${MAX_COMMANDS - 1} above were kept and this one and those after it were ignored`,
      };
      return found;
    }
    found.push(cmd);
  }
  return found;
}

function nameOf(cmd: Command): string {
  return cmd.kind === 'unknown' || cmd.kind === 'invalid' ? cmd.name : cmd.kind;
}

/** A command line that also holds code, HTML, a link or emphasis: GitHub shows other text. */
function formatted(cmd: Command): Command {
  return {
    kind: 'invalid',
    name: nameOf(cmd),
    line: cmd.line,
    error:
      'the line also holds code, HTML, a link or emphasis, so GitHub shows something other than what was typed: write the command as plain text',
  };
}

/**
 * Markdown usage for a `help` reply: every entry of COMMANDS behind the repository's prefix, then
 * `/ok-to-test`, then the inputs `run` may override. Keys `run` could never accept are left out.
 */
export function renderHelp(prefix: string, inputKeys: string[], targets: readonly string[] = []): string {
  assertPrefix(prefix);
  const rows = COMMANDS.map((c) => {
    const usage = c.args ? `${prefix} ${c.name} ${c.args}` : `${prefix} ${c.name}`;
    return `| \`${usage}\` | ${c.description} |`;
  });
  rows.push(`| \`${OK_TO_TEST.name} ${OK_TO_TEST.args}\` | ${OK_TO_TEST.description} |`);
  const keys = [...new Set(inputKeys)].filter((k) => KEY_RE.test(k));
  const inputs =
    keys.length > 0
      ? [
          `Inputs \`${prefix} run\` can override: ${keys.map((k) => `\`${k}\``).join(', ')}.`,
          `Quote a value that has spaces: \`${prefix} run ${keys[0]}="a b"\`.`,
        ]
      : ['This repository declares no inputs that `run` can override (`inputs:` in `.github/arm64-ci.yml`).'];
  // Only a repository with named targets hears about them: a single-target help reads as it always did.
  const named = targets.filter((t) => isTargetName(t));
  if (named.length > 0)
    inputs.push(
      `Targets: ${named.map((t) => `\`${t}\``).join(', ')}. \`run\` and \`retest\` take one as their first word (\`${prefix} run ${named[0]}\`, \`${prefix} retest ${named[0]}\`); without one they act on every target.`,
    );
  return [
    '**Commands** (each on its own line of a pull-request comment, as plain text: not in code, quotes, lists, links, HTML comments or `<details>`)',
    '',
    '| command | what it does |',
    '|---|---|',
    ...rows,
    '',
    ...inputs,
    '',
  ].join('\n');
}
