import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from '../text';
import { artifactGrowth, DEFAULT_MAX_GROWTH, renderArtifactSizes, type ArtifactSize } from './artifacts';

const a = (name: string, sizeBytes: number): ArtifactSize => ({ name, sizeBytes });
const MiB = 1024 * 1024;

describe('artifactGrowth', () => {
  it('warns above 10% by default, and not at exactly 10%', () => {
    expect(DEFAULT_MAX_GROWTH).toBe(0.1);
    const r = artifactGrowth([a('at-limit', 1100), a('over', 1101), a('under', 1099)], [a('at-limit', 1000), a('over', 1000), a('under', 1000)]);
    expect(r.changes.map((c) => [c.name, c.growth, c.warn])).toEqual([
      ['at-limit', 0.1, false],
      ['over', 0.101, true],
      ['under', 0.099, false],
    ]);
    expect(r.warnings.map((c) => c.name)).toEqual(['over']);
  });

  it('keeps the boundary exact where floating point would not (0.1 × 3 is 0.30000000000000004)', () => {
    expect(artifactGrowth([a('x', 130)], [a('x', 100)], 0.3).warnings).toEqual([]);
    expect(artifactGrowth([a('x', 131)], [a('x', 100)], 0.3).warnings).toHaveLength(1);
  });

  it('takes the configured limit', () => {
    const r = artifactGrowth([a('wheel', 300 * MiB)], [a('wheel', 250 * MiB)], 0.25);
    expect(r.maxGrowth).toBe(0.25);
    expect(r.warnings).toEqual([]);
    expect(artifactGrowth([a('wheel', 251)], [a('wheel', 250)], 0).warnings).toHaveLength(1);
  });

  it('lists a new artifact and a removed one, warning about neither', () => {
    const r = artifactGrowth([a('wheel', 10), a('image.tar', 500)], [a('wheel', 10), a('sdist', 7)]);
    expect(r.changes).toEqual([
      { name: 'image.tar', sizeBytes: 500, baseSizeBytes: null, growth: null, change: 'new', warn: false },
      { name: 'sdist', sizeBytes: null, baseSizeBytes: 7, growth: null, change: 'removed', warn: false },
      { name: 'wheel', sizeBytes: 10, baseSizeBytes: 10, growth: 0, change: 'same', warn: false },
    ]);
    expect(r.warnings).toEqual([]);
    expect(r.compared).toBe(true);
  });

  it('reports a shrink as a negative growth', () => {
    expect(artifactGrowth([a('w', 75)], [a('w', 100)]).changes[0]).toMatchObject({ growth: -0.25, change: 'shrank', warn: false });
  });

  it('warns when an empty artifact gains content, with no percentage', () => {
    expect(artifactGrowth([a('w', 5)], [a('w', 0)]).changes[0]).toEqual({ name: 'w', sizeBytes: 5, baseSizeBytes: 0, growth: null, change: 'grew', warn: true });
    expect(artifactGrowth([a('w', 0)], [a('w', 0)]).changes[0]).toMatchObject({ change: 'same', warn: false });
  });

  it('compares nothing without a base run', () => {
    const r = artifactGrowth([a('w', 5)], null);
    expect(r).toEqual({
      compared: false,
      maxGrowth: 0.1,
      changes: [{ name: 'w', sizeBytes: 5, baseSizeBytes: null, growth: null, change: null, warn: false }],
      warnings: [],
    });
  });

  it('keeps the first size of a name listed twice and leaves out sizes that are not whole bytes', () => {
    const r = artifactGrowth([a('w', 200), a('w', 100), a('bad', -1), a('nan', Number.NaN), a('half', 1.5)], [a('w', 100)]);
    expect(r.changes.map((c) => [c.name, c.sizeBytes])).toEqual([['w', 200]]);
  });

  it('lists the largest growth first among warnings', () => {
    const r = artifactGrowth([a('a', 120), a('b', 200), a('c', 1)], [a('a', 100), a('b', 100), a('c', 0)]);
    expect(r.warnings.map((w) => w.name)).toEqual(['c', 'b', 'a']);
  });

  it('warns exactly when growth exceeds the limit, for any sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 41 }), fc.double({ min: 0, max: 1, noNaN: true }), (was, now, limit) => {
        const [c] = artifactGrowth([a('x', now)], [a('x', was)], limit).changes;
        expect(c!.growth).toBeCloseTo((now - was) / was, 9);
        if (c!.warn) expect(now - was).toBeGreaterThan(limit * was * (1 - 1e-9));
        else expect(now - was).toBeLessThanOrEqual(limit * was * (1 + 1e-9) + 1e-6);
      }),
    );
  });
});

describe('renderArtifactSizes', () => {
  const base = { base: 'the latest run of main (1a2b3c4)' };

  it('shows each artifact with its size, the base’s and the change, warnings on top', () => {
    const r = artifactGrowth(
      [a('wheel', 287 * MiB), a('image.tar', 1536 * MiB), a('new.log', 512)],
      [a('wheel', 250 * MiB), a('image.tar', 1536 * MiB), a('old.log', 2048)],
    );
    const md = renderArtifactSizes(r, base, { maxBytes: 10_000 });
    expect(md).toBe(
      [
        '#### Artifact sizes',
        '',
        '> ⚠️ **wheel** grew +14.8% (250 MiB → 287 MiB), more than the 10% allowed by `artifacts.max_growth`.',
        '',
        '| Artifact | Size | the latest run of main (1a2b3c4) | Change |',
        '|---|---:|---:|---|',
        '| wheel | 287 MiB | 250 MiB | ⚠️ +37 MiB (+14.8%) |',
        '| image.tar | 1.5 GiB | 1.5 GiB | same |',
        '| new.log | 512 bytes | — | new |',
        '| old.log | — | 2 KiB | removed |',
      ].join('\n'),
    );
  });

  it('shows a shrink and an empty artifact that gained content', () => {
    const md = renderArtifactSizes(artifactGrowth([a('w', 1024), a('e', 10)], [a('w', 2048), a('e', 0)]), base, { maxBytes: 10_000 });
    expect(md).toContain('| w | 1 KiB | 2 KiB | −1 KiB (−50.0%) |');
    expect(md).toContain('> ⚠️ **e** grew from empty to 10 bytes');
  });

  it('says when there is no base run, listing sizes only', () => {
    const md = renderArtifactSizes(artifactGrowth([a('wheel', 2 * MiB)], null), { base: 'main' }, { maxBytes: 10_000 });
    expect(md).toBe(['#### Artifact sizes', '', 'No run of main to compare sizes with.', '', '| Artifact | Size |', '|---|---:|', '| wheel | 2 MiB |'].join('\n'));
  });

  it('is empty when neither run has artifacts', () => {
    expect(renderArtifactSizes(artifactGrowth([], []), base, { maxBytes: 10_000 })).toBe('');
  });

  it('escapes artifact names', () => {
    const md = renderArtifactSizes(artifactGrowth([a('<script>|x', 1)], []), base, { maxBytes: 10_000 });
    expect(md).toContain('| \\<script\\>\\|x | 1 bytes | — | new |');
  });

  it('keeps to its budget, shortening the table before cutting', () => {
    const now = Array.from({ length: 300 }, (_, i) => a(`artifact-${i}`, 1000 + i));
    const before = Array.from({ length: 300 }, (_, i) => a(`artifact-${i}`, 1000));
    const r = artifactGrowth(now, before);
    const md = renderArtifactSizes(r, base, { maxBytes: 1000 });
    expect(utf8Length(md)).toBeLessThanOrEqual(1000);
    expect(md).toMatch(/… and \d+ more artifacts\./);
    // Warnings come first and are counted when not all are listed.
    expect(md).toContain('| artifact-299 | 1.3 KiB | 1000 bytes | ⚠️ +299 bytes (+29.9%) |');
    expect(md).toMatch(/> ⚠️ … and \d+ artifacts grew more than the 10% allowed/);
    expect(renderArtifactSizes(r, base, { maxBytes: 300 })).toContain('> ⚠️ 199 artifacts grew more than the 10% allowed');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), (budget) => {
        expect(utf8Length(renderArtifactSizes(r, base, { maxBytes: budget }))).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 200 },
    );
  });
});
