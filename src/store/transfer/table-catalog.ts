/**
 * The tables of a SQL store as the database itself describes them: names,
 * columns in order, primary key and which columns are 64-bit integers. An
 * export walks whatever tables the migrations created, so a table added by a
 * later migration is carried along without this file knowing it.
 */
import { sql, type Kysely } from "kysely";
import type { Database, SqlDialectName } from "../schema.ts";

/** One table of the store. */
export interface TableInfo {
  readonly name: string;
  /** Column names in the table's order. */
  readonly columns: readonly string[];
  /** The primary key's columns, in key order; rows are read in this order. */
  readonly primaryKey: readonly string[];
  /** Columns PostgreSQL hands back as strings (bigint), to be written as numbers. */
  readonly bigintColumns: readonly string[];
}

/** Parameters of {@link listTables}. */
export interface ListTablesParams {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialectName;
}

/** The migrator's bookkeeping: it belongs to the database, not to the data. */
const INTERNAL_TABLES = new Set(["kysely_migration", "kysely_migration_lock"]);

/**
 * Tables the database derives from others by itself (triggers keep them): a
 * dump leaves them out, and an import rebuilds them as it loads the rows
 * they are derived from. Loading them too would count everything twice.
 */
const DERIVED_TABLES = new Set(["follow_counts", "outbox_counts"]);

function isDataTable(name: string): boolean {
  return !INTERNAL_TABLES.has(name) && !DERIVED_TABLES.has(name);
}

/**
 * Columns the database keeps by itself in the same way: `actors.doc_version`
 * (see migration 0008) is set afresh as the rows are loaded, and a dump
 * without it loads into an Outpost that predates it.
 */
const DERIVED_COLUMNS: Readonly<Record<string, ReadonlySet<string>>> = { actors: new Set(["doc_version"]) };

function isDataColumn(table: string, column: string): boolean {
  return DERIVED_COLUMNS[table]?.has(column) !== true;
}

/** A table name as it may be spliced into SQL (the catalog's own names only ever match). */
const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkedName(name: string): string {
  if (!SAFE_NAME.test(name)) throw new Error(`Unexpected table or column name ${JSON.stringify(name)}`);
  return name;
}

async function listSqliteTables(db: Kysely<Database>): Promise<TableInfo[]> {
  const { rows: tables } = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
  const result: TableInfo[] = [];
  for (const { name } of tables) {
    if (!isDataTable(name)) continue;
    const { rows } = await sql<{ name: string; type: string; pk: number }>`
      select name, type, pk from pragma_table_info(${checkedName(name)}) order by cid`.execute(db);
    const dataRows = rows.filter((row) => isDataColumn(name, row.name));
    result.push({
      name,
      columns: dataRows.map((row) => checkedName(row.name)),
      primaryKey: dataRows.filter((row) => row.pk > 0).sort((a, b) => a.pk - b.pk).map((row) => row.name),
      bigintColumns: [],
    });
  }
  return result;
}

async function listPostgresTables(db: Kysely<Database>): Promise<TableInfo[]> {
  // The store's schema is first on its connections' search_path: current_schema() is it.
  const { rows: columns } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = current_schema()
      and table_name in (select table_name from information_schema.tables
                         where table_schema = current_schema() and table_type = 'BASE TABLE')
    order by table_name, ordinal_position`.execute(db);
  const { rows: keys } = await sql<{ table_name: string; column_name: string }>`
    select k.table_name, k.column_name from information_schema.table_constraints c
    join information_schema.key_column_usage k
      on k.constraint_name = c.constraint_name and k.constraint_schema = c.constraint_schema and k.table_name = c.table_name
    where c.table_schema = current_schema() and c.constraint_type = 'PRIMARY KEY'
    order by k.table_name, k.ordinal_position`.execute(db);
  const tables = new Map<string, { columns: string[]; primaryKey: string[]; bigintColumns: string[] }>();
  for (const column of columns) {
    if (!isDataTable(column.table_name) || !isDataColumn(column.table_name, column.column_name)) continue;
    let table = tables.get(column.table_name);
    if (table === undefined) {
      table = { columns: [], primaryKey: [], bigintColumns: [] };
      tables.set(column.table_name, table);
    }
    table.columns.push(checkedName(column.column_name));
    if (column.data_type === "bigint") table.bigintColumns.push(column.column_name);
  }
  for (const key of keys) tables.get(key.table_name)?.primaryKey.push(key.column_name);
  return [...tables.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, table]) => ({ name: checkedName(name), ...table }));
}

/** Every data table of the store, by name. */
export async function listTables(params: ListTablesParams): Promise<TableInfo[]> {
  return params.dialect === "postgres" ? listPostgresTables(params.db) : listSqliteTables(params.db);
}
