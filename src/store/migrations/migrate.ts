/**
 * Brings a store's schema up to date. Kysely's Migrator does it on any
 * database; on SQLite two shortcuts spare a start its cost. Run once, with
 * nothing of it compiled yet, the Migrator (its look at every table, then the
 * schema builders of every migration) took 53–66 ms of a first start on a
 * 2-core EPYC, against 11–12 ms for the same schema as plain SQL, and
 * 15–20 ms of every later start:
 *
 * - a database whose migration table lists every migration is left alone;
 * - a new, empty database gets the schema the migrations build in one
 *   transaction, from the statements in sqlite-baseline.ts.
 *
 * Whatever neither covers (an older database, a file that holds other tables
 * too, a baseline older than the newest migration) goes to the Migrator.
 */
import {
  CompiledQuery,
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  MIGRATION_LOCK_ID,
  Kysely,
  Migrator,
} from "kysely";
import type { SqlDialectName } from "../schema.ts";
import { createNodeSqliteDialect } from "../sqlite-dialect.ts";
import { createMigrationProvider, migrations } from "./index.ts";
import { SQLITE_BASELINE } from "./sqlite-baseline.ts";

/** The schema of a SQLite database as statements that build it anew, and the migrations it holds. */
export interface SqliteSchema {
  readonly migrations: readonly string[];
  readonly statements: readonly string[];
}

/** Options of {@link migrateToLatest}. */
export interface MigrateOptions {
  /** The PostgreSQL schema the store lives in. */
  readonly schema?: string;
}

const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();

/** Applies every migration the database lacks; throws, naming the migration, if one fails. */
export async function migrateToLatest(db: Kysely<any>, dialect: SqlDialectName, options: MigrateOptions = {}): Promise<void> {
  if (dialect === "sqlite") {
    if (sameNames(await appliedSqliteMigrations(db), MIGRATION_NAMES)) return;
    if ((await applySqliteBaseline(db)) && sameNames(await appliedSqliteMigrations(db), MIGRATION_NAMES)) return;
  }
  await runMigrator(db, dialect, options);
}

/** The schema the migrations build one step at a time, on a SQLite database in memory: what the baseline must be. */
export async function migratedSqliteSchema(): Promise<SqliteSchema> {
  const db = new Kysely<any>({ dialect: createNodeSqliteDialect(":memory:") });
  try {
    await runMigrator(db, "sqlite", {});
    return await readSqliteSchema(db);
  } finally {
    await db.destroy();
  }
}

async function runMigrator(db: Kysely<any>, dialect: SqlDialectName, options: MigrateOptions): Promise<void> {
  // Named explicitly: otherwise the migrator, which looks for its bookkeeping
  // tables across every schema of the database, takes another store's for its own.
  const migrator = new Migrator({
    db,
    provider: createMigrationProvider(dialect),
    ...(dialect === "postgres" && options.schema !== undefined ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error");
    throw new Error(`Migration ${failed?.migrationName ?? "of the store"} failed`, { cause: error });
  }
}

/**
 * The statements that build a SQLite database's schema as it is (tables, then
 * indexes, triggers and views, each in the order they were made) and the
 * migrations its migration table lists.
 */
export async function readSqliteSchema(db: Kysely<any>): Promise<SqliteSchema> {
  const { rows } = await db.executeQuery<{ sql: string }>(
    CompiledQuery.raw(
      `select sql from sqlite_master where sql is not null and name not like 'sqlite\\_%' escape '\\'
       order by case type when 'table' then 0 when 'index' then 1 when 'trigger' then 2 else 3 end, rowid`,
    ),
  );
  return { migrations: (await appliedSqliteMigrations(db)) ?? [], statements: rows.map((row) => row.sql) };
}

/** The migrations a SQLite database lists as applied, or undefined when it has no migration table. */
async function appliedSqliteMigrations(db: Kysely<any>): Promise<string[] | undefined> {
  const table = await db.executeQuery(
    CompiledQuery.raw("select 1 from sqlite_master where type = 'table' and name = ?", [DEFAULT_MIGRATION_TABLE]),
  );
  if (table.rows.length === 0) return undefined;
  const { rows } = await db.executeQuery<{ name: string }>(CompiledQuery.raw(`select name from "${DEFAULT_MIGRATION_TABLE}" order by name`));
  return rows.map((row) => row.name);
}

/**
 * Builds the baseline's schema in a database that has nothing in it yet, as
 * the Migrator would have: its migrations are recorded as applied now. The
 * transaction takes the write lock at BEGIN, so of two processes opening a
 * new file together, the second finds the schema there and leaves it.
 */
async function applySqliteBaseline(db: Kysely<any>): Promise<boolean> {
  // A baseline made before some migration was changed or taken out is no longer theirs.
  if (!sameNames(SQLITE_BASELINE.migrations, MIGRATION_NAMES.slice(0, SQLITE_BASELINE.migrations.length))) return false;
  return db.transaction().execute(async (trx) => {
    const { rows } = await trx.executeQuery<{ count: number }>(CompiledQuery.raw("select count(*) as count from sqlite_master"));
    if (Number(rows[0]?.count) !== 0) return false;
    for (const statement of SQLITE_BASELINE.statements) await trx.executeQuery(CompiledQuery.raw(statement));
    const appliedAt = new Date().toISOString();
    for (const name of SQLITE_BASELINE.migrations) {
      await trx.executeQuery(CompiledQuery.raw(`insert into "${DEFAULT_MIGRATION_TABLE}" (name, timestamp) values (?, ?)`, [name, appliedAt]));
    }
    await trx.executeQuery(
      CompiledQuery.raw(`insert into "${DEFAULT_MIGRATION_LOCK_TABLE}" (id, is_locked) values (?, 0)`, [MIGRATION_LOCK_ID]),
    );
    return true;
  });
}

function sameNames(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((name, index) => name === b[index]);
}
