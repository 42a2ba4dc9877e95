/**
 * A repository's runs, newest first, optionally filtered (core/run-filter.ts). The store lists a
 * repository's dispatches in one partition; a filter is applied to that stream as it is read, so
 * a filtered page costs at most MAX_SCAN items of reading however rare the matches are.
 */
import { filterQuery, isEmptyFilter, matchesRunFilter, type RunFilter } from '../../../core/run-filter';
import { listDispatches, type DispatchItem } from '../../../store/dispatches';
import type { StoreKey } from '../../../store/dynamo';
import { dispatchSk, repoKey } from '../../../store/keys';
import type { RepoMeta } from '../../../store/repos';
import { cursorsOf, fits, scopes } from '../../cursors';
import type { HttpDeps } from '../../deps';
import { DEFAULT_LIMIT, ROW_FIELDS, runRow, type Paging, type RunRow } from './shared';

/** Runs read per filtered request at most (five store pages): a page may then be short and still have a cursor. */
export const MAX_SCAN = 500;
const STORE_PAGE = 100;

export interface RunsPage {
  runs: RunRow[];
  cursor: string | null;
  /** The filter applied, as parsed (echoed so a script sees what was understood). */
  filter: RunFilter;
}

/** A page of a repository's runs, newest first; with a filter, the matching ones. */
export async function runsPage(deps: HttpDeps, meta: RepoMeta, token: string | null, paging: Paging, filter: RunFilter = {}): Promise<RunsPage> {
  const page = await dispatchPage(deps, meta, paging, filter);
  const now = deps.now();
  return { runs: page.items.map((d) => runRow(d, now, token)), cursor: page.cursor, filter };
}

/** The stored dispatches behind a {@link runsPage} (their ROW_FIELDS only), for callers that use more of them than the rows. */
export interface DispatchPage {
  items: DispatchItem[];
  cursor: string | null;
}

export async function dispatchPage(deps: HttpDeps, meta: RepoMeta, paging: Paging, filter: RunFilter = {}): Promise<DispatchPage> {
  const cursors = await cursorsOf(deps);
  const limit = paging.limit ?? DEFAULT_LIMIT;
  // A filtered listing's cursor is bound to its filter: given back with another, it is refused.
  const scope = scopes.runs(meta.repo, isEmptyFilter(filter) ? undefined : filterQuery(filter));
  const after = cursors.open(scope, paging.cursor, fits.table(repoKey(meta.repo), dispatchSk('')));
  if (isEmptyFilter(filter)) {
    const page = await listDispatches(deps.store, meta.repo, { limit, after, fields: ROW_FIELDS });
    return { items: page.items, cursor: page.lastKey ? cursors.seal(scope, page.lastKey) : null };
  }

  const found: DispatchItem[] = [];
  let position: StoreKey | null = after ?? null;
  let scanned = 0;
  let more = true;
  while (more && found.length < limit && scanned < MAX_SCAN) {
    const page = await listDispatches(deps.store, meta.repo, { limit: Math.min(STORE_PAGE, MAX_SCAN - scanned), after: position, fields: ROW_FIELDS });
    let stoppedEarly = false;
    for (const [i, d] of page.items.entries()) {
      scanned++;
      position = { pk: d.pk, sk: d.sk };
      if (matchesRunFilter(d, filter)) found.push(d);
      if (found.length === limit) {
        stoppedEarly = i < page.items.length - 1;
        break;
      }
    }
    more = stoppedEarly || page.lastKey !== null;
  }
  return { items: found, cursor: more && position ? cursors.seal(scope, position) : null };
}
