/**
 * Runs Kysely's built-in SQLite dialect on `node:sqlite`, so the embedded
 * store needs no native addon. Kysely expects a better-sqlite3-shaped
 * database; {@link openNodeSqlite} adapts a `DatabaseSync` to that shape.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { createBoundedCache } from "../crypto/bounded-cache.ts";
import { startWalCheckpointer, type WalCheckpointerParameters } from "./wal-checkpointer.ts";
import {
  SqliteAdapter,
  SqliteDialect,
  type DialectAdapter,
  type SqliteDatabase,
  type SqliteStatement,
  type Driver,
} from "kysely";
import { lockingDriver, READ_ONLY_SQL } from "./locking-driver.ts";
import type { ThreadWriteLock } from "./thread-write-lock.ts";
import type { ChangeWatchSink } from "./change-watch.ts";

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

function adaptStatement(statement: StatementSync, onWrite: (() => void) | undefined): SqliteStatement {
  // Only statements that may write count towards the checkpointer's bursts.
  const noteWrite = READ_ONLY_SQL.test(statement.sourceSQL) ? undefined : onWrite;
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => {
      noteWrite?.();
      return statement.all(...toSqliteParameters(parameters));
    },
    run: (parameters) => {
      noteWrite?.();
      return statement.run(...toSqliteParameters(parameters));
    },
    iterate: (parameters) => {
      noteWrite?.();
      return statement.iterate(...toSqliteParameters(parameters));
    },
  };
}

/** Options for {@link openNodeSqlite}. */
export interface NodeSqliteOptions {
  /** Prepared statements kept by SQL text; the least recently used go first. */
  statementCacheSize?: number;
  /**
   * Checkpoints of the write-ahead log on a thread of their own while the
   * file is written to (see wal-checkpointer.ts); on by default for a file,
   * `false` leaves them to the connection, as SQLite does by itself.
   */
  walCheckpointer?: false | Omit<WalCheckpointerParameters, "database" | "path">;
  /**
   * Taken around every write when other threads of the process write the
   * same file through connections of their own (see locking-driver.ts).
   */
  writeLock?: ThreadWriteLock;
  /** Told when the connection opens and before each statement that may write (see change-watch.ts). */
  changes?: ChangeWatchSink;
}

/** Whether a path names a file of its own rather than a database in memory or a temporary one. */
export function isFilePath(path: string): boolean {
  return path !== "" && path !== ":memory:" && !path.startsWith("file::memory:");
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
  const checkpointer =
    options.walCheckpointer === false || !isFilePath(path)
      ? undefined
      : startWalCheckpointer({ ...options.walCheckpointer, database, path });
  const changes = options.changes;
  changes?.attach(database, path);
  const onWrite =
    checkpointer === undefined && changes === undefined
      ? undefined
      : () => {
          checkpointer?.noteWrite();
          changes?.noteWrite();
        };
  return {
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached !== undefined) return cached;
      const statement = adaptStatement(database.prepare(rewriteSql(sql)), onWrite);
      statements.set(sql, statement);
      return statement;
    },
    close() {
      checkpointer?.close();
      changes?.detach();
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
  readonly #writeLock: ThreadWriteLock | undefined;

  constructor(path: string, options: NodeSqliteOptions) {
    super({ database: async () => openNodeSqlite(path, options) });
    this.#writeLock = options.writeLock;
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    return this.#writeLock === undefined ? driver : lockingDriver(driver, this.#writeLock);
  }
}

/** A Kysely dialect for a SQLite file (or `:memory:`) opened with `node:sqlite`. */
export function createNodeSqliteDialect(path: string, options: NodeSqliteOptions = {}): SqliteDialect {
  return new NodeSqliteDialect(path, options);
}
