/**
 * Bounds on what an anonymous reader can put in a URL, checked before anything reaches the store:
 * DynamoDB refuses keys over 2 KB (partition) / 1 KB (sort) with a ValidationException, which
 * would otherwise surface as a 5xx and an error in the log. Each decision depends on the input
 * alone, so it answers the same for a private repository as for an unknown one.
 */
import type { MiddlewareHandler } from 'hono';
import { parseRunFilter, type FilterParse } from '../core/run-filter';
// Here for the routes that import them with the other input checks; they live in core so that the
// webhook route can use them without this module's run-filter (and its YAML parser).
export { repoName, repoNameOf } from '../core/repo-name';

/** The branch of a badge or test listing: git allows long names, DynamoDB's sort key does not. */
const MAX_BRANCH_BYTES = 255;
/** Longer than any cursor we issue (a gsi key of a 100-character repository, sealed, is ~600 characters). */
export const MAX_CURSOR_CHARS = 1024;
/** A badge token is 64 hex characters; anything much longer is not one. */
const MAX_TOKEN_CHARS = 256;
const CONTROL = /[\u0000-\u001f\u007f]/;
/** In a `u` regex a surrogate only matches when unpaired: text no UTF-8 encoder can write as is. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

/** Why a branch name cannot be one, or null. */
function branchProblem(branch: string): string | null {
  if (Buffer.byteLength(branch, 'utf8') > MAX_BRANCH_BYTES) return `branch longer than ${MAX_BRANCH_BYTES} bytes`;
  if (!wellFormed(branch) || CONTROL.test(branch)) return 'branch contains characters a branch name cannot';
  return null;
}

/** A dispatch id is a ULID; anything that could not be one is an unknown run. */
export const isDispatchId = (id: string | undefined): id is string => !!id && /^[0-9A-Za-z]{1,64}$/.test(id);

/**
 * The query values every read route shares, checked up front: an over-long or malformed one is
 * the reader's mistake (400), never a store error. Cursors are checked in full where they are opened.
 */
export const boundedQuery: MiddlewareHandler = async (c, next) => {
  const token = c.req.query('token');
  if (token !== undefined && (token.length > MAX_TOKEN_CHARS || !wellFormed(token))) return c.json({ error: 'invalid token' }, 400);
  const branch = c.req.query('branch');
  if (branch !== undefined && branch !== '') {
    const problem = branchProblem(branch);
    if (problem) return c.json({ error: `invalid branch: ${problem}` }, 400);
  }
  const cursor = c.req.query('cursor');
  if (cursor !== undefined && cursor.length > MAX_CURSOR_CHARS) return c.json({ error: 'invalid cursor' }, 400);
  return next();
};

/**
 * The run filter of a listing's query (core/run-filter.ts), or the reason it cannot be one. Read
 * before the repository is looked up, so a bad filter answers the same 400 for any repository.
 */
export function runFilterOf(query: Record<string, string>): FilterParse {
  return parseRunFilter(query);
}
