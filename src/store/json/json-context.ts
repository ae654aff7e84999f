/**
 * What the JSON store's repositories run on: a view of the tables to read,
 * and a way to write. The same repository code serves the store itself
 * (reads see committed state; each write is its own durable commit) and a
 * transaction (reads and writes go to the transaction's draft).
 */
import { readPage } from "../paging.ts";
import type { Page, PageRequest } from "../records.ts";
import type { Draft, TableView } from "./draft.ts";
import type { Sequenced } from "./tables.ts";

/** Reads and writes of one store or transaction. */
export interface JsonContext {
  /** The tables as this caller should see them now. */
  view(): TableView;
  /** Runs a change; it has happened (and is on disk, outside a transaction) when the promise resolves. */
  write<T>(change: (draft: Draft) => T): Promise<T>;
}

/**
 * A JSON value as the store keeps it: a deep copy that shares nothing with
 * the caller, with what JSON cannot hold dropped (`undefined` becomes null),
 * exactly as the SQL store's JSON columns would keep it.
 */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value) ?? "null") as T;
}

/** A stored JSON value handed out, so that the caller's changes cannot reach the store. */
export function handOut<T>(value: T): T {
  return structuredClone(value);
}

/** An empty page, for filters that can match nothing. */
export function emptyPage<T>(): Page<T> {
  return { items: [], next: null, prev: null };
}

/** What one list page is read from. */
export interface ListPageParameters<R extends Sequenced, T> {
  /** Every row of the list, in any order. */
  readonly rows: Iterable<R>;
  readonly request: PageRequest;
  readonly toRecord: (row: R) => T;
}

/**
 * One page of a list, newest first, with the SQL store's keyset semantics
 * (it is the same page reader, run over the rows in memory).
 */
export function listPage<R extends Sequenced, T>(params: ListPageParameters<R, T>): Promise<Page<T>> {
  const ascending = [...params.rows].sort((a, b) => a.seq - b.seq);
  return readPage(
    params.request,
    async (window) => {
      const inRange = ascending.filter(
        (row) => (window.below === undefined || row.seq < window.below) && (window.above === undefined || row.seq > window.above),
      );
      const ordered = window.order === "asc" ? inRange : inRange.reverse();
      return ordered.slice(0, window.limit);
    },
    params.toRecord,
  );
}

/** Rows of a table that satisfy `predicate`. */
export function* where<R>(rows: ReadonlyMap<string, R>, predicate: (row: R) => boolean): Iterable<R> {
  for (const row of rows.values()) if (predicate(row)) yield row;
}

/** How many rows of a table satisfy `predicate`. */
export function countWhere<R>(rows: ReadonlyMap<string, R>, predicate: (row: R) => boolean): number {
  let n = 0;
  for (const row of rows.values()) if (predicate(row)) n++;
  return n;
}
