/**
 * Keyset pagination on `seq`, shared by every list of the SQL store. Lists
 * run newest first; cursors are seqs as strings. No list uses OFFSET: each
 * page is an index range scan, however deep it is.
 */
import { sql, type SelectQueryBuilder } from "kysely";
import type { Page, PageRequest } from "./records.ts";
import { limitLiteral } from "./sql-values.ts";

/** A range of seqs to read, in one direction, at most `limit` rows. */
export interface SeqWindow {
  /** Only seqs strictly below this one. */
  below?: number;
  /** Only seqs strictly above this one. */
  above?: number;
  /** "desc" reads newest first, "asc" oldest first. */
  order: "asc" | "desc";
  limit: number;
}

/** Any row that carries its seq. */
export interface SeqRow {
  seq: number | string;
}

/**
 * How many rows a page reads for `wanted` (the rows asked for plus one):
 * past 8, rounded up to a multiple of 8. Limits are written into the SQL
 * (see limitLiteral) and clients choose their page sizes; rounding keeps the
 * statements one list can produce to a few rather than one per page size, so
 * that they stay in the prepared-statement cache, for at most 7 rows more.
 */
function rowsToRead(wanted: number): number {
  return wanted <= 8 || wanted > 4096 ? wanted : Math.ceil(wanted / 8) * 8;
}

const EMPTY_PAGE: Page<never> = Object.freeze({ items: [], next: null, prev: null }) as Page<never>;

/** A cursor as a seq, or null if it is not one (a client may send anything). */
export function parseCursor(cursor: string): number | null {
  if (!/^[0-9]{1,15}$/.test(cursor)) return null;
  return Number(cursor);
}

/** Restricts a select to a {@link SeqWindow} of the given seq column, ordered and limited. */
export function applySeqWindow<QB extends SelectQueryBuilder<any, any, any>>(
  query: QB,
  seqColumn: string,
  window: SeqWindow,
): QB {
  let q: SelectQueryBuilder<any, any, any> = query;
  if (window.below !== undefined) q = q.where(sql.ref(seqColumn), "<", window.below);
  if (window.above !== undefined) q = q.where(sql.ref(seqColumn), ">", window.above);
  return q.orderBy(sql.ref(seqColumn), window.order).limit(limitLiteral(window.limit)) as QB;
}

/**
 * Reads one page. `read` runs the list's query over a window of seqs; it is
 * called once for the page (with at least one row more than asked, to learn
 * whether the list goes on) and at most once more with limit 1, to learn
 * whether the list goes on in the other direction.
 *
 * `before` gives the rows strictly older than the cursor; `after` the `limit`
 * rows just newer than it, still newest first; `after: ""` the oldest page;
 * neither (or `before: ""`) the newest page. `before` wins if both are given.
 */
export async function readPage<R extends SeqRow, T>(
  request: PageRequest,
  read: (window: SeqWindow) => Promise<R[]>,
  toRecord: (row: R) => T,
): Promise<Page<T>> {
  // Held to a safe integer (one more row is read than asked), since limits are written into the SQL.
  const limit = Number.isFinite(request.limit)
    ? Math.min(Math.max(1, Math.floor(request.limit)), Number.MAX_SAFE_INTEGER - 1)
    : 1;
  let rows: R[];
  let hasOlder: boolean;
  let hasNewer: boolean;

  if (request.before !== undefined && request.before !== "") {
    const below = parseCursor(request.before);
    if (below === null) return EMPTY_PAGE;
    const fetched = await read({ below, order: "desc", limit: rowsToRead(limit + 1) });
    hasOlder = fetched.length > limit;
    rows = fetched.slice(0, limit);
    hasNewer = rows.length > 0 && (await read({ above: seqOf(rows[0]!), order: "asc", limit: 1 })).length > 0;
  } else if (request.after !== undefined) {
    const above = request.after === "" ? undefined : parseCursor(request.after);
    if (above === null) return EMPTY_PAGE;
    const fetched = await read({ above, order: "asc", limit: rowsToRead(limit + 1) });
    hasNewer = fetched.length > limit;
    rows = fetched.slice(0, limit).reverse();
    hasOlder =
      above !== undefined &&
      rows.length > 0 &&
      (await read({ below: seqOf(rows.at(-1)!), order: "desc", limit: 1 })).length > 0;
  } else {
    const fetched = await read({ order: "desc", limit: rowsToRead(limit + 1) });
    hasOlder = fetched.length > limit;
    hasNewer = false;
    rows = fetched.slice(0, limit);
  }

  return {
    items: rows.map(toRecord),
    next: hasOlder ? String(rows.at(-1)!.seq) : null,
    prev: hasNewer ? String(rows[0]!.seq) : null,
  };
}

function seqOf(row: SeqRow): number {
  return Number(row.seq);
}
