import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readJUnitZip } from './artifact-zip';
import { parseJUnit } from './junit';
import { combine, formatRate } from './smoke/verdict';

const pytest = readFileSync(new URL('../../test/fixtures/junit/pytest.xml', import.meta.url), 'utf8');
const allPassing = pytest.replace(/<failure[\s\S]*?<\/failure>/, '');

/** Offsets of every central-directory record, to forge what a hostile zip could declare. */
function centralRecords(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const at: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) if (view.getUint32(i, true) === 0x02014b50) at.push(i);
  return at;
}

function setDeclaredSize(zip: Uint8Array, record: number, size: number): void {
  new DataView(zip.buffer, zip.byteOffset, zip.byteLength).setUint32(record + 24, size, true);
}

describe('readJUnitZip', () => {
  it('returns the XML files from any folder and skips everything else', () => {
    const zip = zipSync({
      'results-py3.10.xml': strToU8(pytest),
      'py3.11/results-py3.11.xml': [strToU8(allPassing), { level: 0 }], // stored, not deflated
      'notes.txt': strToU8('not a result'),
      'logs/': new Uint8Array(0),
      '__MACOSX/._results-py3.10.xml': strToU8('resource fork'),
    });
    const { files, problems } = readJUnitZip(zip);
    expect(problems).toEqual([]);
    expect(files.map((f) => f.name)).toEqual(['results-py3.10.xml', 'py3.11/results-py3.11.xml']);
    expect(files[0]?.text).toBe(pytest);
    expect(files[1]?.text).toBe(allPassing);

    const smoke = combine(files.map((f) => parseJUnit(f.name, f.text)));
    expect(formatRate(smoke.counts)).toBe('11/12 (91%)');
  });

  it('reads an artifact with no XML as no files and no problems', () => {
    expect(readJUnitZip(zipSync({ 'coverage.json': strToU8('{}') }))).toEqual({ files: [], problems: [], overLimit: [] });
  });

  it('reads at most maxFiles XML files and says so, as over a limit', () => {
    const entries = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`r${i}.xml`, strToU8(allPassing)]));
    const { files, problems, overLimit } = readJUnitZip(zipSync(entries), { maxFiles: 3 });
    expect(files.map((f) => f.name)).toEqual(['r0.xml', 'r1.xml', 'r2.xml']);
    expect(problems).toEqual([]);
    expect(overLimit).toEqual(['the artifact holds 5 XML files; only the first 3 were read (the limit per artifact)']);
  });

  it('refuses a zip bomb by its declared size, before inflating', () => {
    const zip = zipSync({ 'ok.xml': strToU8(allPassing), 'bomb.xml': strToU8(allPassing) });
    const records = centralRecords(zip);
    expect(records).toHaveLength(2);
    setDeclaredSize(zip, records[1] ?? -1, 0xf0000000); // "bomb.xml unpacks to 3.75 GiB"
    const { files, problems, overLimit } = readJUnitZip(zip);
    expect(files.map((f) => f.name)).toEqual(['ok.xml']);
    expect(problems).toEqual([]);
    // An honest file can be that large too (megabytes of captured output): over a limit, not damaged.
    expect(overLimit).toEqual(['bomb.xml was not read: it unpacks to 3.8 GiB, over the 10 MiB limit per file']);
  });

  it('refuses a real high-ratio entry over the per-file limit', () => {
    const zeros = new Uint8Array(11 * 1024 * 1024);
    const zip = zipSync({ 'zeros.xml': zeros });
    expect(zip.length).toBeLessThan(100_000);
    expect(readJUnitZip(zip).overLimit).toEqual([
      'zeros.xml was not read: it unpacks to 11 MiB, over the 10 MiB limit per file',
    ]);
  });

  it('refuses the whole artifact when its XML would unpack past the total limit', () => {
    const bytes = strToU8(pytest);
    const zip = zipSync({ 'a.xml': bytes, 'b.xml': bytes });
    expect(readJUnitZip(zip, { maxTotalBytes: 2 * bytes.length }).files).toHaveLength(2);
    const { files, overLimit } = readJUnitZip(zip, { maxTotalBytes: 2 * bytes.length - 1 });
    expect(files).toEqual([]);
    expect(overLimit).toEqual([
      expect.stringMatching(/^the artifact's XML files would unpack to [\d.]+ KiB, over the [\d.]+ KiB limit per artifact; none were read$/),
    ]);
  });

  it('stops inflating an entry that outgrows the size it declares', () => {
    const big = strToU8(`<testsuite>${'<testcase name="t"/>'.repeat(50_000)}</testsuite>`);
    const zip = zipSync({ 'liar.xml': big, 'ok.xml': strToU8(allPassing) });
    setDeclaredSize(zip, centralRecords(zip)[0] ?? -1, 1000);
    const { files, problems } = readJUnitZip(zip);
    expect(files.map((f) => f.name)).toEqual(['ok.xml']);
    expect(problems).toEqual(['liar.xml was not read: it unpacks to more than the 1000 bytes the zip declares (a zip bomb?)']);
  });

  it('reports corrupt, truncated and empty zips without throwing', () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    expect(readJUnitZip(garbage)).toEqual({
      files: [],
      problems: ['the artifact is not a readable zip file: no end-of-central-directory record (truncated, or not a zip)'],
      overLimit: [],
    });

    const zip = zipSync({ 'results.xml': strToU8(pytest) });
    const truncated = readJUnitZip(zip.subarray(0, Math.floor(zip.length / 2)));
    expect(truncated.files).toEqual([]);
    expect(truncated.problems[0]).toMatch(/^the artifact is not a readable zip file: /);

    expect(readJUnitZip(new Uint8Array(0)).problems).toEqual(['the artifact is not a readable zip file: it is empty']);
  });

  it('reports an entry whose compressed data is damaged', () => {
    const zip = zipSync({ 'results.xml': strToU8(pytest), 'ok.xml': strToU8(allPassing) });
    const dataStart = 30 + 'results.xml'.length; // first local header, fflate writes no extra field
    zip.fill(0xff, dataStart, dataStart + 16);
    const { files, problems } = readJUnitZip(zip);
    expect(files.map((f) => f.name)).toEqual(['ok.xml']);
    expect(problems).toEqual([expect.stringMatching(/^results\.xml was not read: its compressed data is damaged/)]);
  });
});
