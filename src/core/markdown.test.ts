import { describe, expect, it } from 'vitest';
import { escapeCell, truncateMarkdown } from './markdown';
import { utf8Length } from './text';

describe('truncateMarkdown', () => {
  const note = '_(truncated)_';

  it('returns text that fits unchanged', () => {
    expect(truncateMarkdown('a\nb', 3, note)).toBe('a\nb');
    expect(truncateMarkdown('', 0, note)).toBe('');
  });

  it('cuts at a line boundary and ends with the note in its own paragraph', () => {
    const md = ['line one', 'line two', 'line three', 'line four'].join('\n');
    const out = truncateMarkdown(md, 35, note);
    expect(out).toBe(`line one\nline two\n\n${note}`);
    expect(out.length).toBeLessThanOrEqual(35);
  });

  it('separates the note from a table so it does not become a row', () => {
    const md = ['| a |', '|---|', ...Array.from({ length: 50 }, (_, i) => `| ${i} |`)].join('\n');
    const out = truncateMarkdown(md, 60, note);
    expect(out).toMatch(/\| \d+ \|\n\n_\(truncated\)_$/);
  });

  it('counts multi-byte characters as GitHub does', () => {
    const md = Array.from({ length: 100 }, () => '✅✅✅✅✅').join('\n');
    const out = truncateMarkdown(md, 200, note);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(200);
    expect(Buffer.byteLength(out)).toBeGreaterThan(150);
    expect(out.endsWith(note)).toBe(true);
  });

  it('closes a code fence the cut leaves open', () => {
    const md = ['Log:', '```', ...Array.from({ length: 100 }, (_, i) => `error ${i}`), '```', 'after'].join('\n');
    const out = truncateMarkdown(md, 120, note);
    expect(out.length).toBeLessThanOrEqual(120);
    expect(out).toMatch(/error \d+\n```\n\n_\(truncated\)_$/);
  });

  it('cuts a single over-long first line rather than dropping everything', () => {
    const out = truncateMarkdown('x'.repeat(1000), 100, note);
    expect(out).toBe(`${'x'.repeat(100 - note.length - 2)}\n\n${note}`);
  });

  it('never splits a surrogate pair', () => {
    const out = truncateMarkdown('😀'.repeat(100), 50, note);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(50);
  });

  it('returns the note alone, cut to fit, when nothing else fits', () => {
    expect(truncateMarkdown('a'.repeat(50), 5, 'a long note')).toBe('a lon');
  });

  it('stays within the limit for any cut point', () => {
    const md = Array.from({ length: 200 }, (_, i) => `row ${i} ${'é'.repeat(i % 7)}`).join('\n');
    for (let max = 20; max < utf8Length(md); max += 37) expect(utf8Length(truncateMarkdown(md, max, note))).toBeLessThanOrEqual(max);
  });
});

describe('utf8Length and escapeCell', () => {
  it.each(['', 'abc', 'é', '✅', '😀', 'a\ud800b', 'mixed ✓ 😀 é'])('counts %j like Buffer.byteLength', (s) => {
    expect(utf8Length(s)).toBe(Buffer.byteLength(s));
  });

  it('escapes cell text', () => {
    expect(escapeCell('a|b')).toBe('a\\|b');
    expect(escapeCell('x\ny\r\nz')).toBe('x y z');
    expect(escapeCell('`code` *b* _i_ ~s~ <t> & [l]\\')).toBe('\\`code\\` \\*b\\* \\_i\\_ \\~s\\~ \\<t\\> \\& \\[l\\]\\\\');
    expect(escapeCell('plain name-1.2')).toBe('plain name-1.2');
  });
});
