import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_LIMITS } from '../artifact-limits';
import { readSmokeArtifact } from './artifact';
import { renderSmokeMarkdown } from './markdown';
import { decideConclusion } from './verdict';

/** A JUnit file of `passing` passing cases followed by `failing` failing ones. */
const junit = (passing: number, failing = 0, prefix = 't') =>
  `<testsuites><testsuite name="s">${Array.from({ length: passing }, (_, i) => `<testcase name="${prefix}${i}"/>`).join('')}${Array.from(
    { length: failing },
    (_, i) => `<testcase name="${prefix}-fail${i}"><failure message="boom"/></testcase>`,
  ).join('')}</testsuite></testsuites>`;

const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([n, t]) => [n, strToU8(t)])));

describe('readSmokeArtifact', () => {
  it('documents its defaults: 10,000 test cases per file, 20,000 per run', () => {
    expect(ARTIFACT_LIMITS).toMatchObject({ casesPerFile: 10_000, casesPerRun: 20_000, files: 200 });
  });

  it('reads each file up to the per-file cap and says what it skipped', () => {
    const { smoke, problems } = readSmokeArtifact(zip({ 'results/huge.xml': junit(12, 3), 'small.xml': junit(2) }), { casesPerFile: 10 });
    expect(problems).toEqual([]);
    expect(smoke.files.map((f) => [f.fileName, f.counts.total, f.unread])).toEqual([
      ['results/huge.xml', 10, 5],
      ['small.xml', 2, 0],
    ]);
    expect(smoke.counts).toMatchObject({ passed: 12, failed: 0, total: 12 });
    expect(smoke.unread).toEqual({
      cases: 5,
      uncounted: false,
      notes: ['5 test cases over the 10-per-file cap were not read in results/huge.xml; counts cover what was read.'],
    });
    // Padding with passing cases pushed the failures out of what was read: still not a pass.
    expect(decideConclusion({ workflowConclusion: 'success', smoke, minPassRate: 1 }).conclusion).toBe('failure');
    expect(renderSmokeMarkdown(smoke)).toContain('> ⚠️ 5 test cases over the 10-per-file cap were not read in results/huge.xml; counts cover what was read.');
  });

  it('stops at the per-run cap across files and names where it stopped', () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`r${i}.xml`, junit(4, 0, `f${i}-`)]));
    const { smoke } = readSmokeArtifact(zip(files), { casesPerFile: 10, casesPerRun: 10 });
    expect(smoke.files.map((f) => [f.fileName, f.counts.total, f.unread])).toEqual([
      ['r0.xml', 4, 0],
      ['r1.xml', 4, 0],
      ['r2.xml', 2, 2],
      ['r3.xml', 0, 4],
      ['r4.xml', 0, 4],
      ['r5.xml', 0, 4],
    ]);
    expect(smoke.counts.total).toBe(10);
    expect(smoke.unread.cases).toBe(14);
    expect(smoke.unread.notes).toEqual([
      '14 test cases over the 10-per-run cap were not read (in r2.xml, r3.xml, r4.xml and 1 more files); counts cover what was read.',
    ]);
  });

  it('marks files and bytes over a limit as unread, with a count nobody knows', () => {
    const files = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`r${i}.xml`, junit(1)]));
    const { smoke } = readSmokeArtifact(zip(files), { files: 2 });
    expect(smoke.counts.total).toBe(2);
    expect(smoke.unread).toEqual({
      cases: 0,
      uncounted: true,
      notes: ['The artifact holds 3 XML files; only the first 2 were read (the limit per artifact).'],
    });

    const { smoke: none } = readSmokeArtifact(zip(files), { unpackedBytes: 10 });
    expect(none.files).toEqual([]);
    expect(none.unread.uncounted).toBe(true);
    expect(none.unread.notes[0]).toMatch(/^The artifact's XML files would unpack to .*; none were read\.$/);

    // A file over its element limit is refused, and what it held is unknown too.
    const flat = `<testsuite>${'<property/>'.repeat(ARTIFACT_LIMITS.elementsPerFile)}<testcase name="x"/></testsuite>`;
    const { smoke: refused } = readSmokeArtifact(zip({ 'flat.xml': flat, 'ok.xml': junit(1) }));
    expect(refused.problems).toEqual([{ fileName: 'flat.xml', error: expect.stringMatching(/^more than 200,000 elements/) }]);
    expect(refused.unread.uncounted).toBe(true);
  });

  it('reports files that are not JUnit as problems of their own, not as unread results', () => {
    const laughs = '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><testsuite><testcase name="&b;"/></testsuite>';
    const { smoke, problems } = readSmokeArtifact(zip({ 'bomb.xml': laughs, 'ok.xml': junit(1) }));
    expect(problems).toEqual([]);
    expect(smoke.problems).toEqual([{ fileName: 'bomb.xml', error: expect.stringContaining('entity declarations are not allowed') }]);
    expect(smoke.unread).toEqual({ cases: 0, uncounted: false, notes: [] });
    expect(readSmokeArtifact(new Uint8Array([1, 2, 3])).problems).toEqual(['the artifact is not a readable zip file: it is too short to be a zip file']);
  });

  it('returns plain data, so it crosses a thread boundary as it is', () => {
    const result = readSmokeArtifact(zip({ 'a.xml': junit(3, 1) }), { casesPerFile: 2 });
    expect(structuredClone(result)).toEqual(result);
  });
});
