/**
 * How a run's tests are packed into a few items instead of one item per test (see ./keys.ts for
 * the records). Three packed shapes, each a deflated JSON document in a Binary attribute:
 *
 *   - a catalog: the tests of a ref, sorted by id, with their names, classes and files. It changes
 *     only when tests are added or dropped, so it is content-addressed (its id is a hash of its
 *     bytes) and written once for every ref and run that shares it;
 *   - a run: one outcome code (./test-history-codec.ts, `-` for a catalog test this run did not
 *     report) and one duration per catalog test, in catalog order;
 *   - a standing: per catalog test, its recent codes on the ref (newest first), the run it was last
 *     seen in, and when it last was flaky.
 *
 * Durations are kept on a logarithmic scale (0.1 % steps, so a ratio of totals reads as measured:
 * 3.00×, not 2.99×), two bytes a test; 16 bits of 0.1 % steps still reach far beyond any test's time. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { deflateSync as zDeflate, inflateSync as zInflate } from 'node:zlib';

// Node's own zlib: nothing added to the bundles.
const deflateSync = (b: Uint8Array, _o?: { level: number }): Uint8Array => new Uint8Array(zDeflate(b, { level: 9 }));
const inflateSync = (b: Uint8Array): Uint8Array => new Uint8Array(zInflate(b));
const strToU8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const strFromU8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

/** A test as a catalog lists it. */
export interface CatalogTest {
  id: string;
  name: string;
  classname: string | null;
  file: string | null;
}

/** DynamoDB's item limit is 400 KB; each part of a packed document stays well below it. */
export const PART_BYTES = 350_000;

const deflate = (doc: unknown): Uint8Array => deflateSync(strToU8(JSON.stringify(doc)), { level: 9 });
const inflate = <T>(bytes: Uint8Array): T => JSON.parse(strFromU8(inflateSync(bytes))) as T;

/** Bytes split into parts of at most PART_BYTES (at least one part). */
export function splitParts(bytes: Uint8Array, size = PART_BYTES): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
  return parts.length > 0 ? parts : [bytes];
}

export function joinParts(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Catalog

interface CatalogDoc {
  v: 1;
  ids: string[];
  /** null: the name is the id's last `::` segment (as the JUnit reader builds ids). */
  names: (string | null)[];
  /** 0: the class is the id's middle segment; null: none. */
  classnames: (string | null | 0)[];
  files: (string | null)[];
}

const lastSegment = (id: string) => id.slice(id.lastIndexOf('::') + 2);
/** The JUnit reader's ids are `suite::classname::name`: the class is the middle segment. */
const middleSegment = (id: string) => {
  const parts = id.split('::');
  return parts.length === 3 ? parts[1]! : null;
};

/** The catalog's bytes and its id (a hash of them: same tests, same id). Tests must be sorted by id. */
export function encodeCatalog(tests: readonly CatalogTest[]): { id: string; bytes: Uint8Array } {
  const doc: CatalogDoc = {
    v: 1,
    ids: tests.map((t) => t.id),
    names: tests.map((t) => (t.name === lastSegment(t.id) ? null : t.name)),
    classnames: tests.map((t) => (t.classname !== null && t.classname === middleSegment(t.id) ? 0 : t.classname)),
    files: tests.map((t) => t.file),
  };
  const bytes = deflate(doc);
  return { id: createHash('sha256').update(bytes).digest('base64url').slice(0, 22), bytes };
}

export function decodeCatalog(bytes: Uint8Array): CatalogTest[] {
  const doc = inflate<CatalogDoc>(bytes);
  return doc.ids.map((id, i) => ({ id, name: doc.names[i] ?? lastSegment(id), classname: doc.classnames[i] === 0 ? middleSegment(id) : (doc.classnames[i] ?? null), file: doc.files[i] ?? null }));
}

// ---------------------------------------------------------------------------------------------
// Durations

const STEP = Math.log(1.001);
const NO_TIME = 0xffff;

/** Seconds → a 16-bit code (milliseconds on a 0.1 % log scale); null → NO_TIME. */
export function durationCode(seconds: number | null): number {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return NO_TIME;
  return Math.min(NO_TIME - 1, Math.round(Math.log1p(seconds * 1000) / STEP));
}

export function durationOfCode(code: number): number | null {
  if (code === NO_TIME) return null;
  return Math.expm1(code * STEP) / 1000;
}

// ---------------------------------------------------------------------------------------------
// A run

/** A catalog test this run did not report. */
export const ABSENT = '-';

export interface PackedRun {
  /** One code per catalog test: P F E S X, or ABSENT. */
  codes: string;
  /** Seconds per catalog test (null: no time, or absent). */
  durations: (number | null)[];
}

/**
 * Deflated: a 4-byte length, the codes (ASCII), then the duration codes as little-endian u16
 * (raw bytes, so deflate sees their repetition).
 */
export function encodeRun(run: PackedRun): Uint8Array {
  const codes = strToU8(run.codes);
  const out = new Uint8Array(4 + codes.length + run.durations.length * 2);
  new DataView(out.buffer).setUint32(0, codes.length, true);
  out.set(codes, 4);
  let at = 4 + codes.length;
  for (const s of run.durations) {
    const c = durationCode(s);
    out[at++] = c & 0xff;
    out[at++] = c >> 8;
  }
  return deflateSync(out, { level: 9 });
}

export function decodeRun(bytes: Uint8Array): PackedRun {
  const raw = inflateSync(bytes);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = view.getUint32(0, true);
  const codes = strFromU8(raw.subarray(4, 4 + n));
  const durations: (number | null)[] = [];
  for (let at = 4 + n; at + 1 < raw.length; at += 2) durations.push(durationOfCode(view.getUint16(at, true)));
  return { codes, durations };
}

// ---------------------------------------------------------------------------------------------
// A ref's standing

export interface StandingTest {
  /** Recent codes on the ref, newest first (./test-history-codec.ts `outcomeCode`). */
  recent: string;
  /** Index into the standing's runs of the run it was last reported in. */
  last: number;
  /** When it last passed and failed on one commit. */
  flaky: { sha: string; at: string } | null;
}

interface StandingDoc {
  v: 1;
  recent: string[];
  last: number[];
  /** Sparse: catalog index → [sha, at]. */
  flaky: Record<string, [string, string]>;
}

export function encodeStanding(tests: readonly StandingTest[]): Uint8Array {
  const flaky: Record<string, [string, string]> = {};
  tests.forEach((t, i) => {
    if (t.flaky) flaky[i] = [t.flaky.sha, t.flaky.at];
  });
  return deflate({ v: 1, recent: tests.map((t) => t.recent), last: tests.map((t) => t.last), flaky } satisfies StandingDoc);
}

export function decodeStanding(bytes: Uint8Array): StandingTest[] {
  const doc = inflate<StandingDoc>(bytes);
  return doc.recent.map((recent, i) => {
    const f = doc.flaky[i];
    return { recent, last: doc.last[i] ?? 0, flaky: f ? { sha: f[0], at: f[1] } : null };
  });
}
