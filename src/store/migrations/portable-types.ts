/**
 * Column types that mean the same on SQLite and PostgreSQL, so one migration
 * set serves both.
 */
import { sql, type CreateTableBuilder, type Expression } from "kysely";
import type { SqlDialectName } from "../schema.ts";

/**
 * Adds the autoincrementing `seq` primary key that lists are ordered by.
 * SQLite: `integer primary key autoincrement` (never reuses a deleted seq, so
 * a cursor cannot come to point at a newer row). PostgreSQL: a bigint identity.
 */
export function addSeqColumn<TB extends string, C extends string>(
  table: CreateTableBuilder<TB, C>,
  dialect: SqlDialectName,
): CreateTableBuilder<TB, C | "seq"> {
  return dialect === "postgres"
    ? table.addColumn("seq", "bigint", (col) => col.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn("seq", "integer", (col) => col.primaryKey().autoIncrement());
}

/**
 * An ISO 8601 timestamp kept as text. On PostgreSQL it takes the "C"
 * collation so that it sorts and compares byte by byte, as on SQLite,
 * whatever the database's locale.
 */
export function timestampType(dialect: SqlDialectName): "text" | Expression<unknown> {
  return dialect === "postgres" ? sql`text collate "C"` : "text";
}
