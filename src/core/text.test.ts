import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, clipBytes, formatBytes, plural, utf8Length } from './text';

const FAMILY = '👨‍👩‍👧‍👦'; // four people joined by ZWJ: 11 code units, 25 bytes
const FLAG = '🇫🇷'; // two regional indicators: 4 code units
const ACCENTED = 'e\u0301'; // e + combining acute: 2 code units, one letter
const PAIR = '😀'; // one surrogate pair

const graphemesOf = (s: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);

describe('clip', () => {
  it('returns text within the limit unchanged', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('', 0)).toBe('');
    expect(clip(FAMILY, FAMILY.length)).toBe(FAMILY);
  });

  it('cuts to at most the limit, ellipsis included', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abcdef', 4, '')).toBe('abcd');
    expect(clip('abcdef', 4, '...')).toBe('a...');
  });

  it('never splits a surrogate pair', () => {
    // 'a' + pair + 'b': a limit of 3 leaves room for 2 units, which would end inside the pair.
    expect(clip(`a${PAIR}b`, 3)).toBe('a…');
    expect(clip(`a${PAIR}bc`, 4)).toBe(`a${PAIR}…`);
  });

  it('never splits an emoji ZWJ sequence', () => {
    const s = `ab${FAMILY}cd`;
    for (let max = 3; max < 2 + FAMILY.length + 1; max++) expect(clip(s, max)).toBe('ab…');
    expect(clip(s, 2 + FAMILY.length + 1)).toBe(`ab${FAMILY}…`);
  });

  it('never splits a flag', () => {
    expect(clip(`x${FLAG}${FLAG}`, 4)).toBe('x…');
    expect(clip(`x${FLAG}${FLAG}`, 6)).toBe(`x${FLAG}…`);
  });

  it('never separates a letter from its combining marks', () => {
    expect(clip(`ab${ACCENTED}cd`, 4)).toBe('ab…');
    expect(clip(`${ACCENTED}${ACCENTED}`, 3)).toBe(`${ACCENTED}…`);
    expect(clip(`${ACCENTED}${ACCENTED}`, 2)).toBe('…');
  });

  it('gives just the ellipsis when the first grapheme does not fit', () => {
    expect(clip(`${FAMILY}x`, 5)).toBe('…');
  });

  it('cuts without an ellipsis when the limit is shorter than the ellipsis', () => {
    expect(clip('abcdef', 2, '...')).toBe('ab');
    expect(clip('abc', 0)).toBe('');
  });

  it('keeps whole graphemes and stays within the limit, for any text', () => {
    const grapheme = fc.constantFrom('a', 'é', ACCENTED, PAIR, FAMILY, FLAG, '🏳️‍🌈', 'ก์', '\r\n', '한');
    fc.assert(
      fc.property(fc.array(grapheme, { maxLength: 30 }), fc.nat(80), (parts, max) => {
        const s = parts.join('');
        const out = clip(s, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 0));
        const kept = out === s ? s : out.endsWith('…') ? out.slice(0, -1) : out;
        expect(s.startsWith(kept)).toBe(true);
        expect(graphemesOf(s).join('').startsWith(kept)).toBe(true);
        // The kept text ends on a grapheme boundary of the original.
        const boundaries = new Set([0]);
        let at = 0;
        for (const g of graphemesOf(s)) boundaries.add((at += g.length));
        expect(boundaries.has(kept.length)).toBe(true);
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it('costs no more than the limit on a huge input', () => {
    const huge = 'x'.repeat(5_000_000);
    expect(clip(huge, 10)).toBe('xxxxxxxxx…');
  });
});

describe('clipBytes', () => {
  it('returns text within the byte limit unchanged', () => {
    expect(clipBytes('héllo', 6)).toBe('héllo');
    expect(clipBytes(FAMILY, 25)).toBe(FAMILY);
  });

  it('counts UTF-8 bytes, ellipsis included', () => {
    // 'é' is two bytes, '…' three.
    expect(clipBytes('ééééé', 7)).toBe('éé…');
    expect(utf8Length(clipBytes('ééééé', 7))).toBeLessThanOrEqual(7);
  });

  it('never splits a surrogate pair or a grapheme', () => {
    expect(clipBytes(`a${PAIR}b`, 4, '')).toBe('a');
    expect(clipBytes(`a${PAIR}b`, 5, '')).toBe(`a${PAIR}`);
    expect(clipBytes(`a${FAMILY}b`, 20, '')).toBe('a');
    expect(clipBytes(`a${FLAG}b`, 6, '')).toBe('a');
    expect(clipBytes(`a${ACCENTED}b`, 2, '')).toBe('a');
  });

  it('takes a multi-character note as the ellipsis', () => {
    const out = clipBytes('x'.repeat(100), 50, '\n… (trimmed)');
    expect(out.endsWith('\n… (trimmed)')).toBe(true);
    expect(utf8Length(out)).toBeLessThanOrEqual(50);
  });
});

describe('utf8Length', () => {
  it('agrees with TextEncoder, lone surrogates included', () => {
    for (const s of ['', 'abc', 'é', '€', PAIR, FAMILY, FLAG, '\ud800', 'a\udc00b', '\ud800\ud800'])
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });
});

describe('plural', () => {
  it('adds an s unless there is exactly one', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(0, 'file')).toBe('0 files');
    expect(plural(2, 'test')).toBe('2 tests');
  });
});

describe('formatBytes', () => {
  it.each([
    [512, '512 bytes'],
    [1536, '1.5 KiB'],
    [10 * 1024 * 1024, '10 MiB'],
    [287 * 1024 * 1024, '287 MiB'],
    [3 * 1024 ** 3, '3 GiB'],
    [2.74 * 1024 ** 3, '2.7 GiB'],
  ])('%d bytes read as %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
