/**
 * Loads a dump (see dump-format.ts) into a store, as one transaction: either
 * every row arrives or, on any problem (a dump cut short, a table this
 * version does not have, a duplicate key), nothing does. The target must be
 * empty unless `force` is given, which replaces its data with the dump's.
 */
import { sql, type Transaction } from "kysely";
import type { Database } from "../schema.ts";
import type { SqlStore } from "../sql-store.ts";
import {
  dumpHeaderSchema,
  endLineSchema,
  rowLineSchema,
  tableLineSchema,
  type DumpHeader,
  type DumpValue,
  type TableLine,
} from "./dump-format.ts";
import { listTables, type TableInfo } from "./table-catalog.ts";

/** Parameters of {@link importStore}. */
export interface ImportStoreParams {
  readonly store: SqlStore;
  /** The dump's lines, in order. */
  readonly lines: AsyncIterable<string>;
  /** Replace whatever the store holds instead of refusing a store that is not empty. */
  readonly force?: boolean;
  /** Called now and then with the rows loaded so far. */
  readonly onProgress?: (progress: { readonly table: string; readonly rows: number }) => void;
}

/** Why an import was refused or rolled back. */
export type ImportFailureReason = "notEmpty" | "badDump" | "incompatible";

/** What an import did. */
export type ImportResult =
  | { readonly ok: true; readonly header: DumpHeader; readonly rows: Readonly<Record<string, number>> }
  | { readonly ok: false; readonly reason: ImportFailureReason; readonly message: string };

/** Bound parameters per INSERT stay well under SQLite's and PostgreSQL's limits. */
const MAX_PARAMETERS = 30_000;
const MAX_ROWS_PER_INSERT = 500;

/** Ends the transaction with a result instead of an exception. */
class ImportRefused extends Error {
  readonly result: ImportResult & { ok: false };
  constructor(reason: ImportFailureReason, message: string) {
    super(message);
    this.result = { ok: false, reason, message };
  }
}

function parseLine<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, line: string): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

async function appliedMigrations(db: Transaction<Database>): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return new Set(rows.map((row) => row.name));
}

async function nonEmptyTables(db: Transaction<Database>, tables: readonly TableInfo[]): Promise<string[]> {
  const found: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{ one: number }>`select 1 as one from ${sql.table(table.name)} limit 1`.execute(db);
    if (rows.length > 0) found.push(table.name);
  }
  return found;
}

async function insertRows(db: Transaction<Database>, table: TableLine, rows: readonly DumpValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const columns = sql.join(table.columns.map((column) => sql.ref(column)));
  const values = sql.join(rows.map((row) => sql`(${sql.join(row.map((value) => sql`${value}`))})`));
  await sql`insert into ${sql.table(table.table)} (${columns}) values ${values}`.execute(db);
}

/**
 * PostgreSQL's identity columns (the `seq` of listed tables) keep their own
 * counter, which rows inserted with explicit values do not move; it must
 * continue after the highest imported value or the next insert collides.
 * (SQLite's autoincrement follows explicit values by itself.)
 */
async function resetIdentities(db: Transaction<Database>): Promise<void> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES'`.execute(db);
  for (const { table_name: table, column_name: column } of rows) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}),
      coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
  }
}

async function load(db: Transaction<Database>, params: ImportStoreParams): Promise<ImportResult> {
  const { store } = params;
  const iterator = params.lines[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string | undefined> => {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return undefined;
      if (next.value.trim() !== "") return next.value;
    }
  };

  const first = await nextLine();
  const header = first === undefined ? undefined : parseLine(dumpHeaderSchema, first);
  if (header === undefined) throw new ImportRefused("badDump", "not an Outpost export (its first line is not an export header)");
  const known = await appliedMigrations(db);
  const unknown = header.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ImportRefused(
      "incompatible",
      `the export comes from a newer Outpost (migrations ${unknown.join(", ")}); upgrade this one first`,
    );
  }
  const tables = new Map((await listTables({ db, dialect: store.dialect })).map((table) => [table.name, table]));
  const occupied = await nonEmptyTables(db, [...tables.values()]);
  if (occupied.length > 0) {
    if (params.force !== true) {
      throw new ImportRefused("notEmpty", `the target database is not empty (${occupied.join(", ")}); use --force to replace its data`);
    }
    for (const name of occupied) await sql`delete from ${sql.table(name)}`.execute(db);
  }

  const loaded: Record<string, number> = {};
  let current: TableLine | undefined;
  let batch: DumpValue[][] = [];
  let batchLimit = MAX_ROWS_PER_INSERT;
  const flush = async () => {
    if (current === undefined || batch.length === 0) return;
    await insertRows(db, current, batch);
    loaded[current.table] = (loaded[current.table] ?? 0) + batch.length;
    params.onProgress?.({ table: current.table, rows: loaded[current.table] ?? 0 });
    batch = [];
  };

  for (let line = await nextLine(); line !== undefined; line = await nextLine()) {
    if (line.startsWith("[")) {
      const row = parseLine(rowLineSchema, line);
      if (current === undefined || row === undefined || row.length !== current.columns.length) {
        throw new ImportRefused("badDump", `malformed row in the export${current === undefined ? "" : ` (table ${current.table})`}`);
      }
      batch.push(row);
      if (batch.length >= batchLimit) await flush();
      continue;
    }
    const end = parseLine(endLineSchema, line);
    if (end !== undefined) {
      await flush();
      for (const [table, count] of Object.entries(end.rows)) {
        if ((loaded[table] ?? 0) !== count) {
          throw new ImportRefused("badDump", `the export promised ${count} rows of ${table} but held ${loaded[table] ?? 0}`);
        }
      }
      if (store.dialect === "postgres") await resetIdentities(db);
      return { ok: true, header, rows: loaded };
    }
    const next = parseLine(tableLineSchema, line);
    if (next === undefined) throw new ImportRefused("badDump", "unreadable line in the export");
    await flush();
    const target = tables.get(next.table);
    if (target === undefined) throw new ImportRefused("incompatible", `this Outpost has no table ${next.table}`);
    const extra = next.columns.filter((column) => !target.columns.includes(column));
    if (extra.length > 0) {
      throw new ImportRefused("incompatible", `table ${next.table} has no column ${extra.join(", ")} in this Outpost`);
    }
    current = next;
    loaded[next.table] ??= 0;
    batchLimit = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / next.columns.length)));
  }
  throw new ImportRefused("badDump", "the export is cut short (no closing line); nothing was imported");
}

/** Loads a dump into the store; nothing changes unless the whole dump loads. */
export async function importStore(params: ImportStoreParams): Promise<ImportResult> {
  try {
    return await params.store.db.transaction().execute((db) => load(db, params));
  } catch (error) {
    if (error instanceof ImportRefused) return error.result;
    throw error;
  }
}
