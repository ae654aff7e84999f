/**
 * Writes a store's data as a dump (see dump-format.ts): every table, every
 * row, read in primary-key order a page at a time inside one read
 * transaction, so the dump is a consistent snapshot even while the server
 * keeps running, and memory stays flat however big the instance is.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { Database } from "../schema.ts";
import type { SqlStore } from "../sql-store.ts";
import { selectActorRows } from "./actor-filter.ts";
import { DUMP_FORMAT, DUMP_VERSION, type DumpHeader, type DumpValue, type EndLine, type TableLine } from "./dump-format.ts";
import { listTables, type TableInfo } from "./table-catalog.ts";

/** Where a transfer is, for a progress bar. */
export interface TransferProgress {
  readonly table: string;
  /** Rows written (or read) so far, over all tables. */
  readonly done: number;
  /** Rows to write over all tables; for an import, bytes. */
  readonly total: number;
}

/** Parameters of {@link exportStore}. */
export interface ExportStoreParams {
  readonly store: SqlStore;
  /** Receives the dump; writing waits when it is full. */
  readonly out: Writable;
  /** Local actors (URIs) to limit the dump to; the whole instance when absent or empty. */
  readonly actorUris?: readonly string[];
  readonly onProgress?: (progress: TransferProgress) => void;
  readonly now?: Date;
}

/** What an export did. */
export type ExportResult =
  | {
      readonly ok: true;
      /** Rows written per table. */
      readonly rows: Readonly<Record<string, number>>;
      /** Tables left out of a limited export, with why. */
      readonly skipped: readonly { readonly table: string; readonly message: string }[];
    }
  | { readonly ok: false; readonly reason: "unknownActor"; readonly message: string };

/** Rows read per query: big enough to keep round trips few, small enough to keep memory flat. */
const PAGE_SIZE = 500;

type Reader = Kysely<Database> | Transaction<Database>;

async function writeLine(out: Writable, value: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, "drain");
}

/** A stored value as dumped: PostgreSQL's bigints (strings) become numbers again. */
function dumpValue(value: unknown, bigint: boolean): DumpValue {
  if (value === null || value === undefined) return null;
  if (bigint || typeof value === "bigint") return Number(value);
  if (typeof value === "number" || typeof value === "string") return value;
  throw new Error(`Unexpected stored value of type ${typeof value}`);
}

async function appliedMigrations(db: Reader): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((row) => row.name);
}

async function countRows(db: Reader, table: TableInfo, where: RawBuilder<unknown> | undefined): Promise<number> {
  const filter = where === undefined ? sql`` : sql`where ${where}`;
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table.name)} ${filter}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Reads a table's rows in primary-key order, one page at a time: each page
 * starts after the last key of the one before, so pages stay cheap deep into
 * a big table. A table without a primary key is paged by offset.
 */
async function* readRows(db: Reader, table: TableInfo, where: RawBuilder<unknown> | undefined): AsyncGenerator<Record<string, unknown>> {
  const key = table.primaryKey.length > 0 ? table.primaryKey : table.columns;
  const order = sql.join(key.map((column) => sql.ref(column)));
  let after: unknown[] | undefined;
  let offset = 0;
  for (;;) {
    const conditions: RawBuilder<unknown>[] = [];
    if (where !== undefined) conditions.push(sql`(${where})`);
    if (after !== undefined && table.primaryKey.length > 0) {
      conditions.push(sql`(${order}) > (${sql.join(after.map((value) => sql`${value}`))})`);
    }
    const filter = conditions.length === 0 ? sql`` : sql`where ${sql.join(conditions, sql` and `)}`;
    const paging = table.primaryKey.length > 0 ? sql`limit ${PAGE_SIZE}` : sql`limit ${PAGE_SIZE} offset ${offset}`;
    const { rows } = await sql<Record<string, unknown>>`
      select * from ${sql.table(table.name)} ${filter} order by ${order} ${paging}`.execute(db);
    for (const row of rows) yield row;
    if (rows.length < PAGE_SIZE) return;
    const last = rows[rows.length - 1]!;
    after = key.map((column) => last[column]);
    offset += rows.length;
  }
}

async function actorsMissing(db: Reader, actorUris: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ uri: string }>`
    select uri from actors where local = 1 and uri in (${sql.join(actorUris.map((uri) => sql`${uri}`))})`.execute(db);
  const found = new Set(rows.map((row) => row.uri));
  return actorUris.filter((uri) => !found.has(uri));
}

/** Writes the store (or some local actors' part of it) to `out` as a dump. */
export async function exportStore(params: ExportStoreParams): Promise<ExportResult> {
  const { store, out } = params;
  const actorUris = params.actorUris !== undefined && params.actorUris.length > 0 ? [...new Set(params.actorUris)] : undefined;
  const run = async (db: Reader): Promise<ExportResult> => {
    if (actorUris !== undefined) {
      const missing = await actorsMissing(db, actorUris);
      if (missing.length > 0) {
        return { ok: false, reason: "unknownActor", message: `not a local actor of this instance: ${missing.join(", ")}` };
      }
    }
    const tables = await listTables({ db, dialect: store.dialect });
    const skipped: { table: string; message: string }[] = [];
    const plan: { table: TableInfo; where: RawBuilder<unknown> | undefined; count: number }[] = [];
    for (const table of tables) {
      let where: RawBuilder<unknown> | undefined;
      if (actorUris !== undefined) {
        const selection = selectActorRows({ table, actorUris });
        if (selection.kind === "skip") {
          skipped.push({ table: table.name, message: selection.message });
          continue;
        }
        where = selection.where;
      }
      plan.push({ table, where, count: await countRows(db, table, where) });
    }
    const total = plan.reduce((sum, step) => sum + step.count, 0);
    const header: DumpHeader = {
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      exportedAt: (params.now ?? new Date()).toISOString(),
      source: store.dialect,
      migrations: await appliedMigrations(db),
      actors: actorUris ?? null,
    };
    await writeLine(out, header);
    const written: Record<string, number> = {};
    let done = 0;
    for (const { table, where } of plan) {
      const line: TableLine = { table: table.name, columns: [...table.columns] };
      await writeLine(out, line);
      const bigint = new Set(table.bigintColumns);
      let count = 0;
      for await (const row of readRows(db, table, where)) {
        await writeLine(out, table.columns.map((column) => dumpValue(row[column], bigint.has(column))));
        count += 1;
        done += 1;
        if (done % PAGE_SIZE === 0) params.onProgress?.({ table: table.name, done, total });
      }
      written[table.name] = count;
      params.onProgress?.({ table: table.name, done, total });
    }
    const end: EndLine = { end: true, rows: written };
    await writeLine(out, end);
    return { ok: true, rows: written, skipped };
  };
  // One snapshot for every table: rows written while the export runs are either all in it or not at all.
  if (store.dialect === "postgres") {
    return store.db.transaction().setIsolationLevel("repeatable read").execute((trx) => run(trx));
  }
  return store.db.transaction().execute((trx) => run(trx));
}
