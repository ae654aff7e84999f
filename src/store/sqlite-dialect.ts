/**
 * Runs Kysely's built-in SQLite dialect on `node:sqlite`, so the embedded
 * store needs no native addon. Kysely expects a better-sqlite3-shaped
 * database; {@link openNodeSqlite} adapts a `DatabaseSync` to that shape.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { createBoundedCache } from "../crypto/bounded-cache.ts";
import {
  SqliteAdapter,
  SqliteDialect,
  type DialectAdapter,
  type SqliteDatabase,
  type SqliteStatement,
} from "kysely";

/** How many prepared statements one database keeps ready. */
const DEFAULT_STATEMENT_CACHE_SIZE = 500;

/**
 * The CLI and the server write the same file at once: WAL lets readers run
 * beside a writer, and busy_timeout makes a writer wait for the lock instead
 * of failing at once.
 */
const OPEN_PRAGMAS = [
  "PRAGMA journal_mode=WAL",
  "PRAGMA synchronous=NORMAL",
  "PRAGMA busy_timeout=5000",
  "PRAGMA foreign_keys=ON",
];

type SqliteParameter = null | number | bigint | string | NodeJS.ArrayBufferView;

/** node:sqlite rejects booleans and undefined, which Kysely may pass through. */
function toSqliteParameter(value: unknown): SqliteParameter {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value as SqliteParameter;
}

function toSqliteParameters(parameters: ReadonlyArray<unknown>): SqliteParameter[] {
  return parameters.map(toSqliteParameter);
}

/**
 * Kysely opens transactions with a plain (deferred) BEGIN. A deferred
 * transaction that reads and then writes must upgrade its lock, and SQLite
 * fails such an upgrade at once with SQLITE_BUSY when another process holds
 * the write lock; busy_timeout cannot help. Taking the write lock at BEGIN
 * makes concurrent writers queue behind busy_timeout instead.
 */
function rewriteSql(sql: string): string {
  return /^\s*begin\s*;?\s*$/i.test(sql) ? "BEGIN IMMEDIATE" : sql;
}

function adaptStatement(statement: StatementSync): SqliteStatement {
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...toSqliteParameters(parameters)),
    run: (parameters) => statement.run(...toSqliteParameters(parameters)),
    iterate: (parameters) => statement.iterate(...toSqliteParameters(parameters)),
  };
}

/** Options for {@link openNodeSqlite}. */
export interface NodeSqliteOptions {
  /** Prepared statements kept by SQL text; the least recently used go first. */
  statementCacheSize?: number;
}

/**
 * Opens (creating if needed) a SQLite file, or `:memory:`, and returns it in
 * the shape Kysely's {@link SqliteDialect} drives.
 */
export function openNodeSqlite(path: string, options: NodeSqliteOptions = {}): SqliteDatabase {
  const database = new DatabaseSync(path);
  for (const pragma of OPEN_PRAGMAS) database.exec(pragma);
  const capacity = Math.max(1, Math.floor(options.statementCacheSize ?? DEFAULT_STATEMENT_CACHE_SIZE));
  const statements = createBoundedCache<string, SqliteStatement>(capacity);
  return {
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached !== undefined) return cached;
      const statement = adaptStatement(database.prepare(rewriteSql(sql)));
      statements.set(sql, statement);
      return statement;
    },
    close() {
      statements.clear();
      if (database.isOpen) database.close();
    },
  };
}

/**
 * SQLite does roll back DDL, though Kysely's adapter says otherwise. Saying so
 * makes the Migrator run each migration batch in one (immediate) transaction,
 * which both keeps a failed migration from leaving half a schema and stops two
 * processes opening a fresh file together from migrating it twice.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class NodeSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** A Kysely dialect for a SQLite file (or `:memory:`) opened with `node:sqlite`. */
export function createNodeSqliteDialect(path: string, options: NodeSqliteOptions = {}): SqliteDialect {
  return new NodeSqliteDialect({ database: async () => openNodeSqlite(path, options) });
}
