import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainLines } from './plain-lines';

const lines = (body: string) => Object.fromEntries(plainLines(body));

describe('plainLines', () => {
  it('numbers lines as \\r\\n, \\r and \\n end them', () => {
    expect(lines('a\r\n\r\nb\r\nc\rd\ne')).toEqual({ 1: 'plain', 3: 'plain', 4: 'plain', 5: 'plain', 6: 'plain' });
  });

  it('keeps numbering right when the first line holds only a no-break space', () => {
    expect(lines('\u00a0\nb')).toEqual({ 1: 'plain', 2: 'plain' });
  });

  it('tells plain lines from lines that hold markup', () => {
    expect(lines('plain\nwith `code`\nwith <b>html</b>\nwith [a](b) link\nwith *em*\nwith \\* escape &amp; entity  \nend')).toEqual({
      1: 'plain',
      2: 'formatted',
      3: 'formatted',
      4: 'formatted',
      5: 'formatted',
      6: 'plain',
      7: 'plain',
    });
  });

  it('leaves out lines that start inside a code span, inline HTML, a link or emphasis', () => {
    expect(lines('a `x\nb` c\nd <!--\ne -->\nf [g\nh](i)\nj *k\nl* m\nn')).toEqual({
      1: 'formatted',
      3: 'formatted',
      5: 'formatted',
      7: 'formatted',
      9: 'plain',
    });
  });

  it('leaves out everything but top-level paragraphs', () => {
    const body = ['# h', '', '- item', '', '> quote', '', '```', 'code', '```', '', '<div>', 'html', '</div>', '', 'a | b', '-|-', '', 'para'];
    expect(lines(body.join('\n'))).toEqual({ 18: 'plain' });
  });

  it('never throws, and only names lines the body has', () => {
    const piece = fc.oneof(
      fc.constantFrom('\n', '\r\n', '\r', ' ', '\t', '\u00a0', 'x', '<!--', '-->', '<details>', '</details>', '`', '```', '>', '- ', '[', '](x)'),
      fc.constantFrom('*', '_', '~~', '|', '---', '<b>', '<a href="', '"', '[^1]:', '&amp;', '\\', '    ', '\u0000'),
      fc.string({ maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const body = pieces.join('');
        const count = body.split(/\r\n|\r|\n/).length;
        for (const n of plainLines(body).keys()) {
          expect(n).toBeGreaterThanOrEqual(1);
          expect(n).toBeLessThanOrEqual(count);
        }
      }),
      { numRuns: 500 },
    );
  });
});
