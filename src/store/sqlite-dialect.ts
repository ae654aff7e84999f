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
  type CompiledQuery,
  type QueryResult,
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
  // First: switching a new file to WAL takes its lock, which another process opening it may hold.
  "PRAGMA busy_timeout=5000",
  "PRAGMA journal_mode=WAL",
  "PRAGMA synchronous=NORMAL",
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

/**
 * Turns a statement's rows, read as arrays, into objects keyed by column, or
 * returns undefined where node:sqlite should build the objects itself.
 * node:sqlite gives each row object no prototype, and V8 keeps such objects
 * as dictionaries: building them cost about a third more than reading the
 * values as an array and setting them on a plain object (a page of 48
 * follows: 90 µs against 68), and every read of a column from them is a
 * hash lookup.
 *
 * The names are read once, since asking node:sqlite for them costs more than
 * a short read (15 µs for the 27 columns of an actor). Names given in the
 * SQL stay what they are; those of a `*` change only with the schema, and
 * SQLite prepares such a statement anew by itself when another connection
 * changes it. A column added or dropped shows as a row of another length,
 * whereupon the names are read again; this connection's own schema changes
 * drop every prepared statement (see openNodeSqlite).
 */
function rowBuilder(statement: StatementSync, initialNames: readonly string[]): ((row: unknown[]) => unknown) | undefined {
  if (initialNames.length === 0 || typeof statement.setReturnArrays !== "function") return undefined;
  statement.setReturnArrays(true);
  let names = initialNames;
  return (values) => {
    if (values.length !== names.length) names = statement.columns().map((column) => column.name);
    const row: Record<string, unknown> = {};
    // A name given twice keeps its last column's value, as node:sqlite's own objects do.
    for (let index = 0; index < names.length; index++) {
      const name = names[index]!;
      // Set as a plain property, a column called __proto__ would become the row's prototype.
      if (name === "__proto__") Object.defineProperty(row, name, { value: values[index], enumerable: true, writable: true, configurable: true });
      else row[name] = values[index];
    }
    return row;
  };
}

/** Statements that change the schema: after one, the connection's prepared statements are dropped. */
const SCHEMA_SQL = /^\s*(?:create|alter|drop)\b/i;

function adaptStatement(
  statement: StatementSync,
  onWrite: (() => void) | undefined,
  onSchemaChange: () => void,
): SqliteStatement {
  // Only statements that may write count towards the checkpointer's bursts.
  const noteWrite = READ_ONLY_SQL.test(statement.sourceSQL) ? undefined : onWrite;
  const changesSchema = SCHEMA_SQL.test(statement.sourceSQL);
  const names = statement.columns().map((column) => column.name);
  const build = rowBuilder(statement, names);
  return {
    reader: names.length > 0,
    all: (parameters) => {
      noteWrite?.();
      const rows = statement.all(...toSqliteParameters(parameters));
      return build === undefined ? rows : (rows as unknown as unknown[][]).map(build);
    },
    run: (parameters) => {
      noteWrite?.();
      try {
        return statement.run(...toSqliteParameters(parameters));
      } finally {
        if (changesSchema) onSchemaChange();
      }
    },
    iterate: (parameters) => {
      noteWrite?.();
      const rows = statement.iterate(...toSqliteParameters(parameters));
      return build === undefined ? rows : mapIterator(rows as unknown as IterableIterator<unknown[]>, build);
    },
  };
}

function* mapIterator<T, U>(source: IterableIterator<T>, map: (value: T) => U): IterableIterator<U> {
  for (const value of source) yield map(value);
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

/** A connection of {@link openNodeSqlite}: what Kysely drives, and a wait for its threads to let go of the file. */
export interface NodeSqliteDatabase extends SqliteDatabase {
  /** After {@link SqliteDatabase.close}: resolves once no thread of this connection has the file open. */
  whenClosed(): Promise<void>;
}

/**
 * Opens (creating if needed) a SQLite file, or `:memory:`, and returns it in
 * the shape Kysely's {@link SqliteDialect} drives.
 */
export function openNodeSqlite(path: string, options: NodeSqliteOptions = {}): NodeSqliteDatabase {
  const database = new DatabaseSync(path);
  for (const pragma of OPEN_PRAGMAS) database.exec(pragma);
  const capacity = Math.max(1, Math.floor(options.statementCacheSize ?? DEFAULT_STATEMENT_CACHE_SIZE));
  const statements = createBoundedCache<string, SqliteStatement>(capacity);
  const checkpointer =
    options.walCheckpointer === false || !isFilePath(path)
      ? undefined
      : startWalCheckpointer({ ...options.walCheckpointer, database, path });
  let threadsClosed = Promise.resolve();
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
      // Statements prepared before a schema change of this connection's would keep the names they had.
      const statement = adaptStatement(database.prepare(rewriteSql(sql)), onWrite, () => statements.clear());
      statements.set(sql, statement);
      return statement;
    },
    close() {
      threadsClosed = checkpointer?.close() ?? threadsClosed;
      changes?.detach();
      statements.clear();
      if (database.isOpen) database.close();
    },
    whenClosed: () => threadsClosed,
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

/**
 * The store's one SQLite connection, for statements run without Kysely's
 * driver (see prepared-queries.ts). Kysely hands the connection to one
 * caller at a time behind a promise-based mutex and answers every statement
 * through a chain of promises: for a short indexed read that is about two
 * thirds of its cost (9 µs against 3 here). A statement may run directly
 * where Kysely would have run it on the same connection with nothing in
 * between: inside a transaction, whose callback holds the connection, or,
 * for a read outside one, while nobody holds it.
 */
export interface DirectSqlite {
  /** Whether a caller of Kysely's driver holds the connection (a transaction, or a statement under way). */
  readonly busy: boolean;
  /** Runs a statement now, as Kysely's SQLite connection would; undefined until the connection is open. */
  run(query: CompiledQuery): QueryResult<unknown> | undefined;
}

class NodeSqliteDialect extends SqliteDialect {
  readonly #writeLock: ThreadWriteLock | undefined;
  #database: NodeSqliteDatabase | undefined;
  #holders = 0;
  readonly direct: DirectSqlite;

  constructor(path: string, options: NodeSqliteOptions) {
    super({
      database: async () => {
        this.#database = openNodeSqlite(path, options);
        return this.#database;
      },
    });
    this.#writeLock = options.writeLock;
    const dialect = this;
    this.direct = {
      get busy() {
        return dialect.#holders > 0;
      },
      run: (query) => (this.#database === undefined ? undefined : runStatement(this.#database, query)),
    };
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  override createDriver(): Driver {
    const inner = super.createDriver();
    const driver = this.#writeLock === undefined ? inner : lockingDriver(inner, this.#writeLock);
    // Counts who holds the connection, so that a direct read never runs inside someone's transaction.
    const acquireConnection = driver.acquireConnection.bind(driver);
    const releaseConnection = driver.releaseConnection.bind(driver);
    driver.acquireConnection = async () => {
      const connection = await acquireConnection();
      this.#holders++;
      return connection;
    };
    driver.releaseConnection = async (connection) => {
      this.#holders--;
      await releaseConnection(connection);
    };
    // Destroyed means the file is free: no checkpoint thread still has it open.
    const destroy = driver.destroy.bind(driver);
    driver.destroy = async () => {
      await destroy();
      await this.#database?.whenClosed();
    };
    return driver;
  }
}

/** What Kysely's SQLite connection answers for a statement: rows of a reader, counts of a writer. */
function runStatement(database: SqliteDatabase, query: CompiledQuery): QueryResult<unknown> {
  const statement = database.prepare(query.sql);
  if (statement.reader) return { rows: statement.all(query.parameters) };
  const { changes, lastInsertRowid } = statement.run(query.parameters);
  return {
    numAffectedRows: changes === undefined || changes === null ? undefined : BigInt(changes),
    insertId: lastInsertRowid === undefined || lastInsertRowid === null ? undefined : BigInt(lastInsertRowid),
    rows: [],
  };
}

/** The dialect of {@link createNodeSqliteDialect}, with its connection for direct statements. */
export type NodeSqliteDialectWithDirect = SqliteDialect & { readonly direct: DirectSqlite };

/** A Kysely dialect for a SQLite file (or `:memory:`) opened with `node:sqlite`. */
export function createNodeSqliteDialect(path: string, options: NodeSqliteOptions = {}): NodeSqliteDialectWithDirect {
  return new NodeSqliteDialect(path, options);
}
