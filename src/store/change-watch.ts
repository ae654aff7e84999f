/**
 * Whether a SQLite database may have changed since an earlier look, for a
 * few answers read far more often than they change (an actor's document
 * version, asked on every fetch of an actor or WebFinger). Two things change
 * what a connection reads: commits by other connections (other threads of
 * the process, the CLI), which SQLite counts in `PRAGMA data_version`, and
 * its own writes, counted here as its statements run. A token taken before a
 * read is therefore still current afterwards only if nothing was written
 * since, and an answer kept under it can be given again without the read.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";

/** The change watch of one connection. */
export interface ChangeWatch {
  /** Differs from every earlier token whenever something may have been written in between; undefined until the database is open. */
  token(): string | undefined;
}

/** The side the connection reports to; see `sqlite-dialect.ts`. */
export interface ChangeWatchSink extends ChangeWatch {
  /** Called once the connection is open. */
  attach(database: DatabaseSync): void;
  /** Called before every statement that may write, commits and rollbacks included. */
  noteWrite(): void;
}

/** A change watch for one connection, attached when it opens. */
export function createChangeWatch(): ChangeWatchSink {
  let dataVersion: StatementSync | undefined;
  let writes = 0;
  return {
    attach(database) {
      dataVersion = database.prepare("PRAGMA data_version");
    },
    noteWrite() {
      writes++;
    },
    token() {
      if (dataVersion === undefined) return undefined;
      const row = dataVersion.get() as { data_version: number } | undefined;
      return `${row?.data_version ?? 0}:${writes}`;
    },
  };
}
