import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS, type Command, MAX_BODY_LENGTH, MAX_COMMANDS, isValidPrefix, parseCommands, renderHelp } from './commands';

/** Kinds only, for tables where the line and payload do not matter. */
const kinds = (body: string, prefix = '/arm64') => parseCommands(body, prefix).map((c) => c.kind);

describe('parseCommands: each command', () => {
  it.each<[string, Command[]]>([
    ['/arm64 run', [{ kind: 'run', overrides: {}, line: 1 }]],
    ['/arm64 retest', [{ kind: 'retest', line: 1 }]],
    ['/arm64 cancel', [{ kind: 'cancel', line: 1 }]],
    ['/arm64 status', [{ kind: 'status', line: 1 }]],
    ['/arm64 help', [{ kind: 'help', line: 1 }]],
    ['/arm64', [{ kind: 'help', line: 1 }]],
    ['/arm64   \t', [{ kind: 'help', line: 1 }]],
    ['/ok-to-test', [{ kind: 'ok-to-test', line: 1 }]],
    ['/arm64 ok-to-test', [{ kind: 'ok-to-test', line: 1 }]],
    ['/ARM64 Run', [{ kind: 'run', overrides: {}, line: 1 }]],
    ['/Arm64 RETEST', [{ kind: 'retest', line: 1 }]],
    ['/OK-TO-TEST', [{ kind: 'ok-to-test', line: 1 }]],
    ['   /arm64 status', [{ kind: 'status', line: 1 }]],
    ['/arm64\tcancel\t', [{ kind: 'cancel', line: 1 }]],
    ['/arm64 retest   ', [{ kind: 'retest', line: 1 }]],
  ])('%j', (body, expected) => {
    expect(parseCommands(body, '/arm64')).toEqual(expected);
  });
});

describe('parseCommands: prefixes', () => {
  it.each([
    ['/ci', '/ci run', 'run'],
    ['/ci', '/CI status', 'status'],
    ['/dgx-ci', '/dgx-ci retest', 'retest'],
    ['/dgx-ci', '/DGX-CI', 'help'],
    ['/ci', '/ok-to-test', 'ok-to-test'],
  ])('prefix %s reads %j as %s', (prefix, body, kind) => {
    expect(kinds(body, prefix)).toEqual([kind]);
  });

  it.each([
    ['/ci', '/arm64 run'],
    ['/arm64', '/ci run'],
    ['/ci', '/dgx-ci run'],
    ['/dgx-ci', '/dgx run'],
    ['/arm64', '/arm64runx'],
    ['/arm64', '/arm64run'],
    ['/arm64', '/arm64-run'],
    ['/arm64', 'arm64 run'],
    ['/arm64', '/ok-to-test-now'],
    ['/arm64', 'ok-to-test'],
  ])('prefix %s ignores %j', (prefix, body) => {
    expect(parseCommands(body, prefix)).toEqual([]);
  });

  it.each(['arm64', '/', '', '/arm 64', '/ok-to-test', '/-x', '/a/b'])('rejects prefix %j', (prefix) => {
    expect(isValidPrefix(prefix)).toBe(false);
    expect(() => parseCommands('/arm64 run', prefix)).toThrow(RangeError);
    expect(() => renderHelp(prefix, [])).toThrow(RangeError);
  });

  it.each(['/arm64', '/ci', '/dgx-ci', '/CI_2', '/a.b'])('accepts prefix %j', (prefix) => {
    expect(isValidPrefix(prefix)).toBe(true);
  });
});

describe('parseCommands: where a command may stand', () => {
  it.each<[string, string, { kind: string; line: number }[]]>([
    ['in the middle of prose', 'Thanks for the fix!\n/arm64 retest\nLet me know.', [{ kind: 'retest', line: 2 }]],
    ['after a blank line', 'LGTM\n\n/arm64 run', [{ kind: 'run', line: 3 }]],
    ['inline code in a sentence', 'Please run `/arm64 run` when ready', []],
    ['mid-sentence', 'you could try /arm64 retest later', []],
    ['list item', '- /arm64 retest', []],
    ['indented 4 spaces (code block)', '    /arm64 run', []],
    ['indented with a tab (code block)', '\t/arm64 run', []],
    ['two spaces then a tab', '  \t/arm64 run', []],
    ['indented 3 spaces', '   /arm64 run', [{ kind: 'run', line: 1 }]],
    ['only whitespace', '  \n\t\n   ', []],
    ['empty', '', []],
    ['bold', '**/arm64 run**', []],
  ])('%s', (_name, body, expected) => {
    expect(parseCommands(body, '/arm64').map(({ kind, line }) => ({ kind, line }))).toEqual(expected);
  });
});

describe('parseCommands: code fences', () => {
  it.each<[string, string[], string[]]>([
    ['backticks', ['```', '/arm64 run', '```', '/arm64 status'], ['status']],
    ['tildes', ['~~~', '/arm64 run', '~~~', '/arm64 status'], ['status']],
    ['info string', ['```bash', '/arm64 run', '```', '/arm64 status'], ['status']],
    ['tilde info string with backticks', ['~~~ `weird`', '/arm64 run', '~~~', '/arm64 status'], ['status']],
    ['indented opener and closer', ['   ```', '/arm64 run', '  ```', '/arm64 status'], ['status']],
    ['unclosed runs to the end', ['```', '/arm64 run', '/arm64 status'], []],
    ['four backticks hold three', ['````', '```', '/arm64 run', '```', '````', '/arm64 status'], ['status']],
    ['closer shorter than opener does not close', ['````', '/arm64 run', '```', '/arm64 cancel'], []],
    ['closer longer than opener closes', ['```', '/arm64 run', '`````', '/arm64 status'], ['status']],
    ['tilde does not close backticks', ['```', '~~~', '/arm64 run', '```', '/arm64 status'], ['status']],
    ['backticks do not close tildes', ['~~~', '```', '/arm64 run', '~~~', '/arm64 status'], ['status']],
    ['closer with trailing text is content', ['```', '``` nope', '/arm64 run', '```', '/arm64 status'], ['status']],
    ['closer with trailing blanks closes', ['```', '/arm64 run', '```  \t', '/arm64 status'], ['status']],
    ['inline ``` with backtick info is not a fence', ['```x`', '/arm64 status'], ['status']],
    ['two backticks are not a fence', ['``', '/arm64 status'], ['status']],
    ['4-space indented ``` is not a fence', ['    ```', '/arm64 status'], ['status']],
    ['closer indented 4 does not close', ['```', '/arm64 run', '    ```', '/arm64 cancel'], []],
    ['blank lines inside', ['```', '', '/arm64 run', '', '```', '/arm64 status'], ['status']],
    ['command before and after', ['/arm64 retest', '```', '/arm64 run', '```', '/arm64 status'], ['retest', 'status']],
    ['fence in a list item', ['- ```', '  /arm64 run', '  ```', '/arm64 status'], ['status']],
    ['fence in an ordered list item', ['1. ```', '   /arm64 run', '   ```', '/arm64 status'], ['status']],
    ['list item ends at an unindented line', ['- ```', '  code', '/arm64 status'], ['status']],
    ['fence in a nested list', ['- - ```', '    /arm64 run', '/arm64 status'], ['status']],
  ])('%s', (_name, lines, expected) => {
    expect(kinds(lines.join('\n'))).toEqual(expected);
  });

  it('reports lines after a fence with their own numbers', () => {
    const body = ['```', '/arm64 run', '```', 'text', '/arm64 status'].join('\n');
    expect(parseCommands(body, '/arm64')).toEqual([{ kind: 'status', line: 5 }]);
  });
});

describe('parseCommands: quotes', () => {
  it.each<[string, string[], string[]]>([
    ['quoted command', ['> /arm64 run', '', '/arm64 status'], ['status']],
    ['a lazy continuation line belongs to the quote', ['> /arm64 run', '/arm64 status'], []],
    ['quote without space', ['>/arm64 run'], []],
    ['nested quote', ['> > /arm64 run'], []],
    ['nested quote without spaces', ['>>/arm64 run'], []],
    ['indented quote', ['   > /ok-to-test'], []],
    ['reply quoting an earlier comment', ['> /arm64 retest', '> did nothing', '', '/arm64 retest'], ['retest']],
    ['fence inside a quote ends with the quote', ['> ```', '> /arm64 run', '/arm64 status'], ['status']],
    ['quote marker inside a fence is code', ['```', '> x', '/arm64 run', '```'], []],
  ])('%s', (_name, lines, expected) => {
    expect(kinds(lines.join('\n'))).toEqual(expected);
  });
});

describe('parseCommands: attacks, where GitHub hides the line or shows it as something else', () => {
  // Each body hides a command from a reader of the rendered comment; none of them is a command.
  it.each<[string, string]>([
    ['an HTML comment', '<!-- /ok-to-test -->'],
    ['an HTML comment on its own line inside a paragraph', 'Thanks!\n<!-- /ok-to-test -->'],
    ['a multi-line HTML comment', 'LGTM\n\n<!--\n/ok-to-test\n-->'],
    ['a multi-line HTML comment opened mid-sentence', 'Thanks for the fix <!--\n/ok-to-test\n/arm64 run\n-->'],
    ['an HTML comment that is never closed', 'Thanks\n\n<!--\n\n/ok-to-test'],
    ['an inline code span', 'Run `/arm64 run` when ready'],
    ['an inline code span across lines', 'Run `this\n/arm64 run\n` when ready'],
    ['a fenced block (backticks)', '```\n/ok-to-test\n```'],
    ['a fenced block (tildes)', '~~~\n/ok-to-test\n~~~'],
    ['a fenced block with an info string', '```sh\n/arm64 run\n```'],
    ['a fenced block in a list item', '- step one:\n\n  ```\n  /ok-to-test\n  ```'],
    ['a fenced block (tildes) in an ordered list item', '1. ~~~\n   /ok-to-test\n   ~~~'],
    ['a fenced block never closed', 'text\n\n```\nnotes\n\n/ok-to-test'],
    ['an indented block', 'Example:\n\n    /ok-to-test'],
    ['an indented block in a list item', '- Example:\n\n      /ok-to-test'],
    ['a block quote', '> /ok-to-test'],
    ['a block quote with a lazy continuation line', '> quote\n/ok-to-test'],
    ['a block quote with lazy continuation lines after a quoted command', '> /arm64 retest\n/arm64 run\n/ok-to-test'],
    ['a details/summary block', '<details><summary>Logs</summary>\n\n/ok-to-test\n\n</details>'],
    ['a details block with the summary on its own line', '<details>\n<summary>Logs</summary>\n\n/ok-to-test\n\n</details>'],
    ['a details block left open', '<details>\n\n/ok-to-test'],
    ['a details block shown open', '<details open>\n\n/ok-to-test\n\n</details>'],
    ['nested details blocks', '<details>\n\n<details>\n\n</details>\n\n/ok-to-test\n\n</details>'],
    ['a details block opened inside a paragraph', 'Logs: <details>\n/ok-to-test\n\n</details>'],
    ['a details block whose close is inside a comment', '<details>\n\n<!-- </details> -->\n\n/ok-to-test\n\n</details>'],
    ['a details block whose close is inside an attribute', '<details title=">" data-x="</details>">\n\n/ok-to-test'],
    ['an HTML block', '<div>\n/ok-to-test\n</div>'],
    ['a raw HTML table cell', '<table><tr><td>\n\n/ok-to-test\n\n</td></tr></table>'],
    ['a raw HTML block quote', '<blockquote>\n\n/ok-to-test\n\n</blockquote>'],
    ['a raw HTML link', '<a href="https://example.com">\n\n/ok-to-test\n\n</a>'],
    ['a link whose text is a command', '[/ok-to-test](https://example.com)'],
    ['a link whose text spans lines', '[see\n/ok-to-test\nhere](https://example.com)'],
    ['a reference link whose text spans lines', '[see\n/ok-to-test\nhere][docs]\n\n[docs]: https://example.com'],
    ['an image whose description spans lines', '![see\n/ok-to-test\nhere](https://example.com/a.png)'],
    ['a link title that spans lines', '[see](https://example.com "title\n/ok-to-test\n")'],
    ['an autolink', '<https://example.com/ok-to-test>'],
    ['an email autolink', '<ok-to-test@example.com>'],
    ['a command in a table cell', '/arm64 run | note\n--- | ---'],
    ['a command in a table cell with pipes', '| /ok-to-test |\n| --- |'],
    ['a command in a table body cell', 'a | b\n--- | ---\n/ok-to-test | x'],
    ['emphasis across lines', '*note\n/ok-to-test\nend*'],
    ['strong emphasis across lines', '__note\n/ok-to-test\nend__'],
    ['strikethrough across lines', '~~withdrawn\n/ok-to-test\nend~~'],
    ['a setext heading', '/ok-to-test\n---'],
    ['an ATX heading', '# /ok-to-test'],
    ['a footnote (lazy continuation line)', 'See[^1].\n\n[^1]: note\n/ok-to-test'],
    ['a list item', '- /ok-to-test'],
    ['an ordered list item', '1. /ok-to-test'],
    ['a task list item', '- [ ] /ok-to-test'],
  ])('%s', (_attack, body) => {
    expect(parseCommands(body, '/arm64')).toEqual([]);
  });

  // What stays visible around those constructs still counts.
  it.each<[string, string, { kind: string; line: number }[]]>([
    ['a command after a closed HTML comment, on a later paragraph', '<!-- /arm64 cancel -->\n\n/arm64 run', [{ kind: 'run', line: 3 }]],
    ['a command on the line after a one-line comment', 'Thanks <!-- hidden -->\n/arm64 run', [{ kind: 'run', line: 2 }]],
    ['a command after a multi-line comment', '<!--\n/arm64 cancel\n-->\n\n/ok-to-test', [{ kind: 'ok-to-test', line: 5 }]],
    ['a command after a closed details block', '<details><summary>Logs</summary>\n\n/arm64 cancel\n\n</details>\n\n/arm64 retest', [{ kind: 'retest', line: 7 }]],
    ['a command after a quote and a blank line', '> /arm64 cancel\n\n/arm64 status', [{ kind: 'status', line: 3 }]],
    ['a command after a table and a blank line', 'a | b\n--- | ---\n\n/arm64 status', [{ kind: 'status', line: 4 }]],
    ['a command after a details block inside a quote', '> <details>\n\n/arm64 status', [{ kind: 'status', line: 3 }]],
    ['a command after a code span on an earlier line', 'Use `x`\n/arm64 status', [{ kind: 'status', line: 2 }]],
    ['a command after neutral HTML', '<div align="center">\n<img src="x.png">\n</div>\n\n/arm64 status', [{ kind: 'status', line: 5 }]],
    ['a command after an unknown tag in prose', 'This changes Vec<T>.\n\n/arm64 status', [{ kind: 'status', line: 3 }]],
    ['a command with a hard line break', '/arm64 status  \n/arm64 help', [{ kind: 'status', line: 1 }, { kind: 'help', line: 2 }]],
  ])('%s is a command', (_name, body, expected) => {
    expect(parseCommands(body, '/arm64').map(({ kind, line }) => ({ kind, line }))).toEqual(expected);
  });

  // The line starts as a command but GitHub would show other text: refused, never run as typed.
  it.each([
    ['a code span in the arguments', '/arm64 run k=`v`'],
    ['an HTML comment after the command', '/ok-to-test <!-- note -->'],
    ['an HTML comment hiding an argument', '/arm64 run a=<!-- x -->1'],
    ['inline HTML in a value', '/arm64 run k=<b>x</b>'],
    ['emphasis in a value', '/arm64 run glob=*.py,*.c'],
    ['bold after a command', '/arm64 help **now**'],
    ['a link after a command', '/arm64 run [docs](https://example.com)'],
    ['an autolink in a value', '/arm64 run url=<https://example.com>'],
    ['a comment opened on the command line', '/arm64 run <!--\nx=1\n-->'],
  ])('%s is refused as formatted', (_name, body) => {
    const result = parseCommands(body, '/arm64');
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ kind: 'invalid', line: 1 });
    expect(result[0]?.kind === 'invalid' && result[0].error).toContain('write the command as plain text');
  });

  it('reads a plain URL in a value as typed (GitHub shows it as typed, as a link)', () => {
    expect(parseCommands('/arm64 run url=https://example.com/?a=b&c=d', '/arm64')).toEqual([
      { kind: 'run', overrides: { url: 'https://example.com/?a=b&c=d' }, line: 1 },
    ]);
  });

  it('never finds a command line wrapped in a hiding construct, and still finds the visible one after it', () => {
    const command = fc.constantFrom('/ok-to-test', '/arm64 run', '/arm64 run k=v', '/arm64 retest', '/ARM64 cancel', '/arm64');
    const hide: ((c: string) => string)[] = [
      (c) => `<!-- ${c} -->`,
      (c) => `<!--\n${c}\n-->`,
      (c) => `Note <!--\n${c}\n-->`,
      (c) => `See \`x\n${c}\n\` here`,
      (c) => `\`\`\`\n${c}\n\`\`\``,
      (c) => `~~~\n${c}\n~~~`,
      (c) => `- item\n\n  \`\`\`\n  ${c}\n  \`\`\``,
      (c) => `    ${c}`,
      (c) => `> ${c}`,
      (c) => `> quoted\n${c}`,
      (c) => `<details><summary>Logs</summary>\n\n${c}\n\n</details>`,
      (c) => `<details>\n<summary>Logs</summary>\n\n${c}\n\n</details>`,
      (c) => `[see\n${c}\nhere](https://example.com)`,
      (c) => `${c} | note\n--- | ---`,
      (c) => `- ${c}`,
      (c) => `1. ${c}`,
      (c) => `*note\n${c}\nend*`,
      (c) => `~~note\n${c}\nend~~`,
      (c) => `<div>\n${c}\n</div>`,
      (c) => `<blockquote>\n\n${c}\n\n</blockquote>`,
      (c) => `${c}\n---`,
      (c) => `[^1]: note\n${c}`,
    ];
    const prose = fc.array(fc.constantFrom('Thanks', 'for the fix.', 'LGTM', 'see above', '42'), { maxLength: 4 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(prose, fc.integer({ min: 0, max: hide.length - 1 }), command, (before, which, c) => {
        const wrapped = (hide[which] as (c: string) => string)(c);
        const body = `${before}\n\n${wrapped}\n\n/arm64 status`;
        expect(kinds(body)).toEqual(['status']);
      }),
      { numRuns: 400 },
    );
  });
});

describe('parseCommands: run arguments', () => {
  it.each<[string, Record<string, string>]>([
    ['/arm64 run a=1', { a: '1' }],
    ['/arm64 run a=1 b=2', { a: '1', b: '2' }],
    ['/arm64 run  a=1 \t b=2  ', { a: '1', b: '2' }],
    ['/arm64 run key=', { key: '' }],
    ['/arm64 run key="" other=\'\'', { key: '', other: '' }],
    ['/arm64 run msg="a b"', { msg: 'a b' }],
    ["/arm64 run msg='a b'", { msg: 'a b' }],
    [`/arm64 run python-versions='["3.10","3.11"]'`, { 'python-versions': '["3.10","3.11"]' }],
    ['/arm64 run q="say \\"hi\\""', { q: 'say "hi"' }],
    ['/arm64 run q="back\\\\slash"', { q: 'back\\slash' }],
    ['/arm64 run p="C:\\temp\\x"', { p: 'C:\\temp\\x' }],
    ['/arm64 run p=C:\\temp', { p: 'C:\\temp' }],
    ["/arm64 run q='single quotes keep \\ as is'", { q: 'single quotes keep \\ as is' }],
    ['/arm64 run mix=a"b', { mix: 'a"b' }],
    ["/arm64 run it=it's", { it: "it's" }],
    ['/arm64 run python-versions=["3.10"]', { 'python-versions': '["3.10"]' }],
    ['/arm64 run v=["3.10","3.11"] w=x', { v: '["3.10","3.11"]', w: 'x' }],
    ['/arm64 run q=say"hi" r=\'a\'', { q: 'say"hi"', r: 'a' }],
    ['/arm64 run eq=a=b', { eq: 'a=b' }],
    ['/arm64 run dotted.key_1-x=v', { 'dotted.key_1-x': 'v' }],
    ['/arm64 run A=1 a=2', { A: '1', a: '2' }],
    ['/arm64 run url=https://example.com/?a=b&c=d', { url: 'https://example.com/?a=b&c=d' }],
    ['/arm64 run dq="it\'s"', { dq: "it's" }],
    ['/arm64 run sq=\'say "hi"\'', { sq: 'say "hi"' }],
    ['/ARM64 RUN Key=Value', { Key: 'Value' }],
  ])('%s', (body, overrides) => {
    expect(parseCommands(body, '/arm64')).toEqual([{ kind: 'run', overrides, line: 1 }]);
  });

  it('keeps prototype-named keys as plain data', () => {
    const [cmd] = parseCommands('/arm64 run constructor=y hasOwnProperty=z', '/arm64');
    expect(cmd?.kind).toBe('run');
    if (cmd?.kind !== 'run') return;
    expect(Object.keys(cmd.overrides)).toEqual(['constructor', 'hasOwnProperty']);
    expect(cmd.overrides['constructor']).toBe('y');
    expect(cmd.overrides['hasOwnProperty']).toBe('z');
    expect(cmd.overrides['toString']).toBeUndefined();
    // `__proto__=x` shows on GitHub as a bold "proto=x": refused as formatted, not read.
    expect(parseCommands('/arm64 run __proto__=x', '/arm64')).toEqual([
      expect.objectContaining({ kind: 'invalid', name: 'run', error: expect.stringContaining('write the command as plain text') }),
    ]);
  });

  it.each<[string, RegExp]>([
    ['/arm64 run dgx foo', /expected key=value, got `foo`.*usage: `\/arm64 run \[key=value …\]`/],
    ['/arm64 run foo!', /expected key=value, got `foo!`/],
    ['/arm64 run a=1 foo', /expected key=value, got `foo`/],
    ['/arm64 run =value', /missing key/],
    ['/arm64 run a b c=1', /expected key=value, got `b`/],
    ['/arm64 run k!y=1', /invalid key `k!y`/],
    ['/arm64 run "a b"=1', /expected key=value/],
    ['/arm64 run a="unterminated', /unterminated double quote in the value of `a`/],
    ["/arm64 run a='unterminated", /unterminated single quote in the value of `a`/],
    ['/arm64 run a="ends with escaped quote\\"', /unterminated double quote/],
    ['/arm64 run a="x"y', /quoted value of `a` must end at its closing quote: put a space before `y`/],
    ["/arm64 run a='x'\"y\" b=1", /quoted value of `a` must end at its closing quote/],
    ['/arm64 run a=1 a=2', /duplicate key `a`/],
    ['/arm64 run a=1 b="x" a=', /duplicate key `a`/],
  ])('%s is invalid', (body, error) => {
    const result = parseCommands(body, '/arm64');
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ kind: 'invalid', name: 'run', line: 1 });
    expect(result[0]?.kind === 'invalid' && result[0].error).toMatch(error);
  });

  it('uses the repository prefix in the usage it quotes', () => {
    const [cmd] = parseCommands('/ci run a=1 nope', '/ci');
    expect(cmd?.kind === 'invalid' && cmd.error).toContain('`/ci run [key=value …]`');
  });

  it('clips a huge bad token in the error', () => {
    const [cmd] = parseCommands(`/arm64 run ${'x'.repeat(10_000)}`, '/arm64');
    expect(cmd?.kind).toBe('invalid');
    expect(cmd?.kind === 'invalid' && cmd.error.length).toBeLessThan(200);
  });
});

describe('parseCommands: run and retest take a target', () => {
  it.each<[string, Command[]]>([
    ['/arm64 run dgx', [{ kind: 'run', overrides: {}, line: 1, target: 'dgx' }]],
    ['/arm64 run dgx python-versions=["3.12"] mode=fast', [{ kind: 'run', overrides: { 'python-versions': '["3.12"]', mode: 'fast' }, line: 1, target: 'dgx' }]],
    ['/arm64 run Graviton_2 a=1', [{ kind: 'run', overrides: { a: '1' }, line: 1, target: 'Graviton_2' }]],
    ['/arm64 run\tx86\t', [{ kind: 'run', overrides: {}, line: 1, target: 'x86' }]],
    ['/arm64 retest graviton', [{ kind: 'retest', line: 1, target: 'graviton' }]],
    ['/ARM64 RETEST DGX', [{ kind: 'retest', line: 1, target: 'DGX' }]],
    ['/arm64 retest   pi-5  ', [{ kind: 'retest', line: 1, target: 'pi-5' }]],
  ])('%j', (body, expected) => {
    expect(parseCommands(body, '/arm64')).toEqual(expected);
  });

  it('leaves the target out when none is named, so existing commands mean every target', () => {
    for (const body of ['/arm64 run', '/arm64 run key=value', '/arm64 run a="b c" d=e', '/arm64 retest']) {
      const [cmd] = parseCommands(body, '/arm64');
      expect(cmd).toBeDefined();
      expect(cmd!.kind === 'run' || cmd!.kind === 'retest').toBe(true);
      expect(Object.hasOwn(cmd!, 'target')).toBe(false);
    }
  });

  it('takes any name of the right form: whether the repository has it is decided against its config', () => {
    expect(parseCommands('/arm64 run please', '/arm64')).toEqual([{ kind: 'run', overrides: {}, line: 1, target: 'please' }]);
  });

  it('reads a name only in first place: a later bare word is still a key=value error', () => {
    const [cmd] = parseCommands('/arm64 run a=1 dgx', '/arm64');
    expect(cmd).toMatchObject({ kind: 'invalid', name: 'run' });
    expect(cmd?.kind === 'invalid' && cmd.error).toMatch(/expected key=value, got `dgx`/);
  });

  it('reads a first word that is no target name as key=value, with that error', () => {
    const [cmd] = parseCommands(`/arm64 run a${'b'.repeat(32)}`, '/arm64');
    expect(cmd?.kind === 'invalid' && cmd.error).toMatch(/^expected key=value, got `abbb/);
  });

  it.each<[string, RegExp]>([
    ['/arm64 retest dgx graviton', /^`retest` takes at most a target name: write `\/arm64 retest` \(every target\) or `\/arm64 retest <target>`$/],
    ['/arm64 retest a=1', /^`retest` takes at most a target name/],
    ['/arm64 retest dgx!', /^`dgx!` is not a target name \(a letter, then letters, digits, - or _ \(at most 32 characters\)\): write `\/arm64 retest`/],
    [`/arm64 retest a${'b'.repeat(32)}`, /is not a target name/],
    ['/arm64 retest 1st', /^`1st` is not a target name/],
  ])('%j is invalid', (body, error) => {
    const [cmd] = parseCommands(body, '/arm64');
    expect(cmd).toMatchObject({ kind: 'invalid', name: 'retest', line: 1 });
    expect(cmd?.kind === 'invalid' && cmd.error).toMatch(error);
  });

  it('clips a huge bad target in the error', () => {
    const [cmd] = parseCommands(`/arm64 retest ${'x!'.repeat(5000)}`, '/arm64');
    expect(cmd?.kind === 'invalid' && cmd.error.length).toBeLessThan(250);
  });

  it('round-trips any target name with any key=value written with double quotes', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,31}$/);
    const key = fc.stringMatching(/^[A-Za-z0-9.-]{1,12}$/);
    const value = fc.string({ maxLength: 30 }).filter((v) => !/[\r\n_*~`<[\]!&]/.test(v));
    fc.assert(
      fc.property(name, fc.dictionary(key, value), (target, overrides) => {
        const pairs = Object.entries(overrides)
          .map(([k, v]) => `${k}="${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`)
          .join(' ');
        expect(parseCommands(`/arm64 run ${target} ${pairs}`, '/arm64')).toEqual([{ kind: 'run', overrides, line: 1, target }]);
        expect(parseCommands(`/arm64 retest ${target}`, '/arm64')).toEqual([{ kind: 'retest', line: 1, target }]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseCommands: commands that take no arguments', () => {
  it.each([
    ['/arm64 cancel run', 'cancel', '`/arm64 cancel`'],
    ['/arm64 status extra-args', 'status', '`/arm64 status`'],
    ['/arm64 help me', 'help', '`/arm64 help`'],
    ['/ARM64 STATUS x', 'status', '`/arm64 status`'],
  ])('%j is invalid and quotes the usage', (body, name, usage) => {
    const [cmd] = parseCommands(body, '/arm64');
    expect(cmd).toMatchObject({ kind: 'invalid', name, line: 1 });
    expect(cmd?.kind === 'invalid' && cmd.error).toContain('takes no arguments');
    expect(cmd?.kind === 'invalid' && cmd.error).toContain(usage);
  });
});

describe('parseCommands: unknown commands', () => {
  it.each<[string, string, string | null]>([
    ['/arm64 rerun', 'rerun', 'retest'],
    ['/arm64 retry', 'retry', 'retest'],
    ['/arm64 stop', 'stop', 'cancel'],
    ['/arm64 abort', 'abort', 'cancel'],
    ['/arm64 --help', '--help', 'help'],
    ['/arm64 test', 'test', 'run'],
    ['/arm64 retset', 'retset', 'retest'],
    ['/arm64 rtest', 'rtest', 'retest'],
    ['/arm64 statsu', 'statsu', 'status'],
    ['/arm64 cancle', 'cancle', 'cancel'],
    ['/arm64 rnu', 'rnu', 'run'],
    ['/arm64 hlep', 'hlep', 'help'],
    ['/arm64 can', 'can', 'cancel'],
    ['/arm64 stat', 'stat', 'status'],
    ['/arm64 Rerun', 'Rerun', 'retest'],
    ['/arm64 deploy', 'deploy', null],
    ['/arm64 xyzzy', 'xyzzy', null],
    ['/arm64 constructor', 'constructor', null],
    ['/arm64 =', '=', null],
  ])('%j', (body, name, suggestion) => {
    expect(parseCommands(body, '/arm64')).toEqual([{ kind: 'unknown', name, line: 1, suggestion }]);
  });

  it('reads the name of an unknown command even when arguments follow', () => {
    expect(parseCommands('/arm64 rerun a=1', '/arm64')).toEqual([
      { kind: 'unknown', name: 'rerun', line: 1, suggestion: 'retest' },
    ]);
  });

  it('clips a huge unknown name', () => {
    const [cmd] = parseCommands(`/arm64 ${'z'.repeat(5000)}`, '/arm64');
    expect(cmd).toMatchObject({ kind: 'unknown', suggestion: null });
    expect(cmd?.kind === 'unknown' && cmd.name.length).toBeLessThanOrEqual(65);
  });
});

describe('parseCommands: several commands, line endings, size', () => {
  it('returns each command in order with its line', () => {
    const body = [
      'Two things:',
      '/ok-to-test',
      '',
      '```',
      '/arm64 cancel',
      '```',
      '> /arm64 cancel',
      '',
      '/arm64 run a="x y"',
      '/arm64 bogus',
      '/arm64 status now',
    ].join('\n');
    expect(parseCommands(body, '/arm64')).toEqual([
      { kind: 'ok-to-test', line: 2 },
      { kind: 'run', overrides: { a: 'x y' }, line: 9 },
      { kind: 'unknown', name: 'bogus', line: 10, suggestion: null },
      expect.objectContaining({ kind: 'invalid', name: 'status', line: 11 }),
    ]);
  });

  it.each([
    ['CRLF', '\r\n'],
    ['CR', '\r'],
    ['LF', '\n'],
  ])('handles %s line endings', (_name, eol) => {
    const body = ['hi', '```', '/arm64 cancel', '```', '/arm64 run a=1', '/arm64 retest', ''].join(eol);
    expect(parseCommands(body, '/arm64')).toEqual([
      { kind: 'run', overrides: { a: '1' }, line: 5 },
      { kind: 'retest', line: 6 },
    ]);
  });

  it('does not count a CR as part of the last value', () => {
    expect(parseCommands('/arm64 run a=1\r\n/arm64 status\r\n', '/arm64')).toEqual([
      { kind: 'run', overrides: { a: '1' }, line: 1 },
      { kind: 'status', line: 2 },
    ]);
  });

  it.each([1, 5, MAX_COMMANDS])('returns all of %i commands', (count) => {
    const body = Array.from({ length: count }, () => '/arm64 status').join('\n');
    expect(parseCommands(body, '/arm64')).toHaveLength(count);
    expect(kinds(body).every((k) => k === 'status')).toBe(true);
  });

  it.each([MAX_COMMANDS + 1, 50, 4_500])('caps %i commands at MAX_COMMANDS with an explanation last', (count) => {
    const body = Array.from({ length: count }, (_, i) => (i % 2 ? '/arm64 status' : '/arm64 retest')).join('\n');
    const result = parseCommands(body, '/arm64');
    expect(result).toHaveLength(MAX_COMMANDS);
    expect(result.slice(0, -1).map((c) => c.line)).toEqual(Array.from({ length: MAX_COMMANDS - 1 }, (_, i) => i + 1));
    const last = result.at(-1);
    expect(last).toMatchObject({ kind: 'invalid', line: MAX_COMMANDS });
    expect(last?.kind === 'invalid' && last.error).toMatch(/too many commands.*at most 10/);
  });

  it('does not count commands in code towards the cap', () => {
    const fenced = ['```', ...Array.from({ length: 20 }, () => '/arm64 run'), '```'];
    const body = [...fenced, ...Array.from({ length: MAX_COMMANDS }, () => '/arm64 status')].join('\n');
    expect(kinds(body)).toEqual(Array.from({ length: MAX_COMMANDS }, () => 'status'));
  });

  it('reads a 65,536-character comment', () => {
    const filler = 'x'.repeat(65_536 - '\n/arm64 run a=1'.length);
    const body = `${filler}\n/arm64 run a=1`;
    expect(body).toHaveLength(65_536);
    expect(parseCommands(body, '/arm64')).toEqual([{ kind: 'run', overrides: { a: '1' }, line: 2 }]);
  });

  it('reads a 65,536-character quoted value', () => {
    const value = 'v '.repeat(32_000);
    expect(parseCommands(`/arm64 run k="${value}"`, '/arm64')).toEqual([
      { kind: 'run', overrides: { k: value }, line: 1 },
    ]);
  });

  it('reads a 10,000-line comment and numbers its last line', () => {
    const body = [...Array.from({ length: 9_999 }, () => 'x > `y` -'), '/arm64 help'].join('\r\n');
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    expect(parseCommands(body, '/arm64')).toEqual([{ kind: 'help', line: 10_000 }]);
  });
});

describe('parseCommands: properties', () => {
  it('never throws and never returns more than MAX_COMMANDS items', () => {
    // Bias the alphabet towards the characters the parser treats specially.
    const piece = fc.oneof(
      fc.constantFrom('/arm64', '/ok-to-test', ' run', ' retest', ' status', '\n', '\r\n', '\r', '```', '~~~'),
      fc.constantFrom('>', '- ', '1. ', '    ', '\t', '"', "'", '\\', '=', 'a=', 'k="', ' '),
      fc.constantFrom('<!--', '-->', '<details>', '</details>', '`', '[', '](x)', '*', '_', '~~', '|', '---', '<b>', '[^1]:'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (pieces) => {
        const result = parseCommands(pieces.join(''), '/arm64');
        expect(result.length).toBeLessThanOrEqual(MAX_COMMANDS);
        let lastLine = 0;
        for (const cmd of result) {
          expect(cmd.line).toBeGreaterThanOrEqual(lastLine);
          lastLine = cmd.line;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), (body) => {
        expect(parseCommands(body, '/ci').length).toBeLessThanOrEqual(MAX_COMMANDS);
      }),
      { numRuns: 300 },
    );
  });

  /** `key="value"` with `\` and `"` escaped, as `renderHelp` tells users to quote. */
  const quoted = (overrides: Record<string, string>) =>
    Object.entries(overrides)
      .map(([k, v]) => `${k}="${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`)
      .join(' ');

  it('round-trips any key=value written with double quotes, when nothing in it is Markdown markup', () => {
    // `_` `*` `~` `` ` `` `<` `[` `]` `!` `&` can make emphasis, code, HTML, links or entities: see below.
    const key = fc.stringMatching(/^[A-Za-z0-9.-]{1,12}$/);
    const value = fc.string({ maxLength: 30 }).filter((v) => !/[\r\n_*~`<[\]!&]/.test(v));
    fc.assert(
      fc.property(fc.dictionary(key, value), (overrides) => {
        expect(parseCommands(`/arm64 run ${quoted(overrides)}`, '/arm64')).toEqual([{ kind: 'run', overrides, line: 1 }]);
      }),
      { numRuns: 300 },
    );
  });

  it('dispatches any value exactly as typed or not at all', () => {
    const key = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
    const value = fc.string({ maxLength: 30 }).filter((v) => !/[\r\n]/.test(v));
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1 }), (overrides) => {
        const result = parseCommands(`/arm64 run ${quoted(overrides)}`, '/arm64');
        expect(result).toHaveLength(1);
        const [cmd] = result;
        if (cmd?.kind === 'run') expect(cmd.overrides).toEqual(overrides);
        else expect(cmd).toMatchObject({ kind: 'invalid', name: 'run', line: 1 });
      }),
      { numRuns: 500 },
    );
  });
});

describe('renderHelp', () => {
  it.each(['/arm64', '/ci', '/dgx-ci'])('lists every command behind prefix %s, and /ok-to-test', (prefix) => {
    const help = renderHelp(prefix, []);
    for (const c of COMMANDS) {
      const usage = c.args ? `${prefix} ${c.name} ${c.args}` : `${prefix} ${c.name}`;
      expect(help).toContain(`\`${usage}\``);
      expect(help).toContain(c.description);
    }
    expect(help).toContain('`/ok-to-test [sha]`');
    expect(help).toContain('no inputs');
  });

  it('lists the overridable input keys once each, with a quoting example', () => {
    const help = renderHelp('/ci', ['python-versions', 'cuda', 'python-versions']);
    expect(help).toContain('`python-versions`, `cuda`.');
    expect(help.match(/`cuda`/g)).toHaveLength(1);
    expect(help).toContain('`/ci run python-versions="a b"`');
    expect(help).not.toContain('no inputs');
  });

  it('leaves out keys that run could never accept', () => {
    const help = renderHelp('/arm64', ['ok', 'has space', 'tick`']);
    expect(help).toContain('`ok`');
    expect(help).not.toContain('`has space`');
    expect(help).not.toContain('tick');
  });

  it('shows commands that the parser reads back as themselves', () => {
    const help = renderHelp('/dgx-ci', []);
    const usages = [...help.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] ?? '');
    expect(usages).toHaveLength(COMMANDS.length + 1);
    const parsed = parseCommands(usages.map((u) => u.replace(' [key=value …]', '').replace(' [sha]', '')).join('\n'), '/dgx-ci');
    expect(parsed.map((c) => c.kind)).toEqual([...COMMANDS.map((c) => c.name), 'ok-to-test']);
  });
});

describe('parseCommands: /ok-to-test <sha>', () => {
  const sha = '0123456789abcdef0123456789abcdef01234567';
  it.each([
    ['/ok-to-test 1a2b3c4', '1a2b3c4'],
    [`/ok-to-test ${sha}`, sha],
    ['/ok-to-test 1A2B3C4D', '1a2b3c4d'],
    ['/ok-to-test\t1a2b3c4  ', '1a2b3c4'],
    ['/arm64 ok-to-test 1a2b3c4', '1a2b3c4'],
  ])('%j names the commit %s', (body, expected) => {
    expect(parseCommands(body, '/arm64')).toEqual([{ kind: 'ok-to-test', line: 1, sha: expected }]);
  });

  it.each([
    ['/ok-to-test now', '`now` is not a commit sha'],
    ['/ok-to-test 1a2b3c', '`1a2b3c` is not a commit sha'],
    [`/ok-to-test ${sha}0`, 'is not a commit sha'],
    ['/ok-to-test 1a2b3cg', '`1a2b3cg` is not a commit sha'],
    ['/ok-to-test 1a2b3c4 please', 'takes at most one argument'],
    ['/arm64 ok-to-test x', '`x` is not a commit sha'],
  ])('%j is invalid: %s, with the usage', (body, error) => {
    const [cmd] = parseCommands(body, '/arm64');
    expect(cmd).toMatchObject({ kind: 'invalid', name: 'ok-to-test', line: 1 });
    expect(cmd?.kind === 'invalid' && cmd.error).toContain(error);
    expect(cmd?.kind === 'invalid' && cmd.error).toContain('`/ok-to-test <sha>`');
  });
});

describe('renderHelp with targets', () => {
  it('names the targets only when there are named ones', () => {
    expect(renderHelp('/arm64', [])).not.toContain('Targets');
    const help = renderHelp('/arm64', [], ['dgx', 'x86']);
    expect(help).toContain('Targets: `dgx`, `x86`.');
    expect(help).toContain('`/arm64 run dgx`');
  });
});
