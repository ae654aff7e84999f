/**
 * A Kysely driver that takes a {@link ThreadWriteLock} around every write to
 * a SQLite connection: for a transaction from BEGIN to COMMIT or ROLLBACK,
 * for a statement outside one around that statement alone. Reads take no
 * lock: in WAL mode they run beside a writer. Another thread of the process
 * writing the same file through its own connection then never meets a lock
 * held by this one inside SQLite, where its wait would stop its event loop.
 */
import type { DatabaseConnection, Driver } from "kysely";
import type { ThreadWriteLock } from "./thread-write-lock.ts";

/** Statements that only read: SELECTs and PRAGMAs; everything else may write. */
export const READ_ONLY_SQL = /^\s*(select|pragma)\b/i;

/** Wraps a driver over one SQLite connection (Kysely's, which hands it out one caller at a time). */
export function lockingDriver(inner: Driver, lock: ThreadWriteLock): Driver {
  let inTransaction = false;
  const wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const unwrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const innerOf = (connection: DatabaseConnection): DatabaseConnection => unwrapped.get(connection) ?? connection;

  function wrap(connection: DatabaseConnection): DatabaseConnection {
    const outer: DatabaseConnection = {
      async executeQuery(query) {
        if (inTransaction || READ_ONLY_SQL.test(query.sql)) return connection.executeQuery(query);
        await lock.acquire();
        try {
          return await connection.executeQuery(query);
        } finally {
          lock.release();
        }
      },
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
    wrapped.set(connection, outer);
    unwrapped.set(outer, connection);
    return outer;
  }

  async function endTransaction(end: () => Promise<void>): Promise<void> {
    try {
      await end();
    } finally {
      inTransaction = false;
      lock.release();
    }
  }

  return {
    init: () => inner.init(),
    async acquireConnection() {
      const connection = await inner.acquireConnection();
      return wrapped.get(connection) ?? wrap(connection);
    },
    async beginTransaction(connection, settings) {
      await lock.acquire();
      try {
        await inner.beginTransaction(innerOf(connection), settings);
      } catch (error) {
        lock.release();
        throw error;
      }
      inTransaction = true;
    },
    commitTransaction: (connection) => endTransaction(() => inner.commitTransaction(innerOf(connection))),
    rollbackTransaction: (connection) => endTransaction(() => inner.rollbackTransaction(innerOf(connection))),
    savepoint: (connection, name, compile) => inner.savepoint!(innerOf(connection), name, compile),
    rollbackToSavepoint: (connection, name, compile) => inner.rollbackToSavepoint!(innerOf(connection), name, compile),
    releaseSavepoint: (connection, name, compile) => inner.releaseSavepoint!(innerOf(connection), name, compile),
    releaseConnection: (connection) => inner.releaseConnection(innerOf(connection)),
    destroy: () => inner.destroy(),
  };
}
