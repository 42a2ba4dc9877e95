import { describe, expect, it } from 'vitest';
import { openElements, scanTags } from './html-elements';

/** Reads each piece in order and says whether text after them would be hidden. */
const hidingAfter = (...pieces: string[]) => {
  const html = openElements();
  for (const p of pieces) html.read(p);
  return html.hiding;
};

const tagsOf = (html: string) => {
  const tags: string[] = [];
  const complete = scanTags(html, (name, closing) => tags.push(closing ? `/${name}` : name));
  return { tags, complete };
};

describe('scanTags', () => {
  it.each<[string, string[]]>([
    ['<details><summary>Logs</summary>', ['details', 'summary', '/summary']],
    ['<DETAILS OPEN>', ['details']],
    ['<details/>', ['details']],
    ['<a href="x>y" title=\'</a>\'>', ['a']],
    ['<a href = "</a>">', ['a']],
    ['<a href=x>y</a>', ['a', '/a']],
    ['<!-- <details> --> <b>', ['b']],
    ['<!--> <b>', ['b']],
    ['<!---> <b>', ['b']],
    ['<!-- x --!> <b>', ['b']],
    ['<!-- a -- b --> <i>', ['i']],
    ['<?x </details> ?><b>', ['b']],
    ['<![CDATA[</details>]]><b>', ['b']],
    ['<!DOCTYPE html><b>', ['b']],
    ['a < b, c <1> </> </ 2> <b>', ['b']],
    ['</details x=">">', ['/details']],
    ['<a ="x>"', ['a']],
    ['Vec<T> and Result<T, E>', ['t', 't,']],
  ])('%j → %j', (html, tags) => {
    expect(tagsOf(html)).toEqual({ tags, complete: true });
  });

  it.each(['<details title="x', '<details', '<!-- never closed', '<!DOCTYPE', '<? x', '</details'])(
    '%j is unfinished: what follows it on the page would be read as part of it',
    (html) => {
      expect(tagsOf(html).complete).toBe(false);
    },
  );

  it('stays linear on a page of comments', () => {
    const html = '<!--a-->'.repeat(20_000);
    expect(tagsOf(html)).toEqual({ tags: [], complete: true });
  });
});

describe('openElements', () => {
  it('hides what follows an open <details> until it is closed', () => {
    expect(hidingAfter('<details><summary>Logs</summary>')).toBe(true);
    expect(hidingAfter('<details><summary>Logs</summary>', '</details>')).toBe(false);
  });

  it('counts nesting', () => {
    expect(hidingAfter('<details>', '<details>', '</details>')).toBe(true);
    expect(hidingAfter('<details>', '<details>', '</details>', '</details>')).toBe(false);
  });

  it.each(['<blockquote>', '<code>', '<pre>', '<a href="https://example.com">', '<del>', '<table>', '<template>', '<b>'])(
    'hides what follows %s',
    (open) => {
      expect(hidingAfter(open)).toBe(true);
    },
  );

  it.each(['<div align="center">', '<p>', '<span>', '<br>', '<img src="x">', '<hr/>', '<T>', '<li>', '<td>'])(
    'does not hide what follows %s',
    (tag) => {
      expect(hidingAfter(tag)).toBe(false);
    },
  );

  it('does not take a close inside a comment or an attribute for a close', () => {
    expect(hidingAfter('<details>', '<!-- </details> -->')).toBe(true);
    expect(hidingAfter('<details title=">" data-x="</details>">')).toBe(true);
  });

  it('ignores a close of an element that is not open', () => {
    expect(hidingAfter('</details>', '</b>')).toBe(false);
  });

  it('gives up for good on HTML it cannot follow: a close that skips an open element', () => {
    expect(hidingAfter('<details><b>', '</details>')).toBe(true);
    expect(hidingAfter('<details><b>', '</details>', '</b>')).toBe(true);
  });

  it('gives up for good on a tag or comment left unfinished', () => {
    const html = openElements();
    html.read('<details title="x');
    expect(html.lost).toBe(true);
    html.read('">ok</details>');
    expect(html.hiding).toBe(true);
  });
});
