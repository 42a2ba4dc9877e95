/**
 * Pagination cursors that say nothing: a listing's position (a DynamoDB key, or an offset) sealed
 * with AES-256-GCM under a key derived from a server secret, bound to the listing it came from.
 * A raw key would name the item it stops at (a private repository, say) and a forged one would
 * start a read anywhere; a sealed one can only be given back, to the same listing, for a day.
 * Anything else — forged, edited, truncated, from another listing or repository, expired, made
 * under another key — answers 400 {"error":"invalid cursor"}.
 *
 * Sealing is deterministic (the IV is an HMAC of what is sealed, as in AES-GCM-SIV's design, and the
 * time is kept to the hour): the same page asked again carries the same cursor, so a polled JSON
 * answer keeps its ETag and costs a 304. Equal cursors only say the same position was sealed twice.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { HTTPException } from 'hono/http-exception';
import type { StoreKey } from '../store/dynamo';
import type { HttpDeps } from './deps';
import { MAX_CURSOR_CHARS } from './inputs';
/** A cursor is for paging now, not a bookmark: after this it is refused. */
const CURSOR_TTL_MS = 24 * 60 * 60 * 1000;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';
const HOUR_MS = 60 * 60 * 1000;

const invalidCursor = () =>
  new HTTPException(400, { res: Response.json({ error: 'invalid cursor' }, { status: 400 }) });

/** Which listing a cursor belongs to. Repository names are compared as GitHub does, case-insensitively. */
export const scopes = {
  repos: () => 'repos',
  runners: () => 'runners',
  /** One repository's runs; a filtered listing (its canonical query string) is a listing of its own. */
  runs: (repo: string, filter?: string) => `runs\0${repo.toLowerCase()}${filter ? `\0${filter}` : ''}`,
  tests: (repo: string, ref: string) => `tests\0${repo.toLowerCase()}\0${ref}`,
  runTests: (repo: string, dispatchId: string) => `run-tests\0${repo.toLowerCase()}\0${dispatchId}`,
  /**
   * An arm64 run's tests against its baseline. `basis` names the two results compared (attempts,
   * baseline run): once the comparison is renewed (the commit's baseline finished, a re-run), the
   * old offsets page another list, so their cursors are refused.
   */
  compareTests: (repo: string, dispatchId: string, basis: string) => `compare-tests\0${repo.toLowerCase()}\0${dispatchId}\0${basis}`,
};

interface Cursors {
  seal(scope: string, position: StoreKey | number): string;
  /** The position, or undefined without a cursor; throws the 400 for anything we did not issue for this scope. */
  open<T extends StoreKey | number>(scope: string, cursor: string | null | undefined, fits: (p: unknown) => p is T): T | undefined;
}

function createCursors(secret: string | null, now: () => Date): Cursors {
  // Without a configured secret (tests, a throwaway local run) cursors live as long as the process.
  const material = secret || randomBytes(32).toString('hex');
  const key = Buffer.from(hkdfSync('sha256', material, 'arm64-ci', `pagination cursor ${VERSION}`, 32));
  const ivKey = Buffer.from(hkdfSync('sha256', material, 'arm64-ci', `pagination cursor iv ${VERSION}`, 32));
  const aad = (scope: string) => Buffer.from(`${VERSION}\0${scope}`);
  return {
    seal(scope, position) {
      const plain = JSON.stringify({ p: position, t: Math.floor(now().getTime() / HOUR_MS) * HOUR_MS });
      // A nonce repeats only for the same scope and plaintext, which then seal to the same cursor.
      const iv = createHmac('sha256', ivKey).update(aad(scope)).update('\0').update(plain).digest().subarray(0, IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(scope));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(scope, cursor, fits) {
      if (cursor === undefined || cursor === null || cursor === '') return undefined;
      if (cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES + 2) throw invalidCursor();
      let plain: { p?: unknown; t?: unknown };
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(aad(scope));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
        plain = JSON.parse(text) as { p?: unknown; t?: unknown };
      } catch {
        throw invalidCursor();
      }
      const age = now().getTime() - Number(plain.t);
      // A little slack for clocks of different instances.
      if (!Number.isFinite(age) || age > CURSOR_TTL_MS || age < -5 * 60_000) throw invalidCursor();
      if (!fits(plain.p)) throw invalidCursor();
      return plain.p;
    },
  };
}

const byDeps = new WeakMap<HttpDeps, { secret: string | null; cursors: Cursors }>();

/** The app's cursors, keyed by its current secret (read lazily on Lambda, once per cold start). */
export async function cursorsOf(deps: HttpDeps): Promise<Cursors> {
  const secret = await deps.cursorSecret();
  const hit = byDeps.get(deps);
  if (hit && hit.secret === secret) return hit.cursors;
  const cursors = createCursors(secret, deps.now);
  byDeps.set(deps, { secret, cursors });
  return cursors;
}

// What a position may look like in each listing: even a validly sealed cursor is only used where it fits.
const isObj = (v: unknown): v is StoreKey => !!v && typeof v === 'object' && !Array.isArray(v);
const strings = (v: StoreKey, keys: string[]) => Object.keys(v).length === keys.length && keys.every((k) => typeof v[k] === 'string');

export const fits = {
  /** A key of the gsi1 partition `partition` (the repository list). */
  gsi1: (partition: string) => (p: unknown): p is StoreKey => isObj(p) && strings(p, ['pk', 'sk', 'gsi1pk', 'gsi1sk']) && p.gsi1pk === partition,
  /** A table key in partition `pk` whose sort key starts with `prefix`. */
  table: (pk: string, prefix: string) => (p: unknown): p is StoreKey =>
    isObj(p) && strings(p, ['pk', 'sk']) && p.pk === pk && (p.sk as string).startsWith(prefix),
  offset: (p: unknown): p is number => typeof p === 'number' && Number.isInteger(p) && p > 0,
};
