/**
 * Whether a SQLite database may have changed since an earlier look, for a
 * few answers read far more often than they change (an actor's document
 * version, asked on every fetch of an actor or WebFinger). Two things change
 * what a connection reads: commits by other connections (other threads of
 * the process, the CLI), and its own writes, counted here as its statements
 * run. A token taken before a read is therefore still current afterwards
 * only if nothing was written since, and an answer kept under it can be
 * given again without the read.
 *
 * Other connections' commits are seen in the WAL index, the `-shm` file
 * every connection to a WAL database maps: its header (the first 48 bytes,
 * laid out in SQLite's documented WAL format) holds a counter that every
 * commit moves and the size of the log, and a writer updates it before its
 * commit returns. Reading those bytes is one `pread` of a cached page, about
 * a third of the cost of `PRAGMA data_version`, which takes the WAL's read
 * lock and came to a tenth of an actor fetch's CPU under load. A header caught
 * halfway through an update only reads as a change, which costs a read, never
 * a stale answer. Where there is no such file (a database in memory, or a
 * connection holding the WAL index in its own memory), `PRAGMA data_version`
 * answers instead.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { DatabaseSync, StatementSync } from "node:sqlite";

/** The change watch of one connection. */
export interface ChangeWatch {
  /** Differs from every earlier token whenever something may have been written in between; undefined until the database is open. */
  token(): string | undefined;
  /** How other connections' commits are seen: the WAL index's header, SQLite's data version, or not yet (not open). */
  via(): "wal-index" | "data-version" | undefined;
}

/** The side the connection reports to; see `sqlite-dialect.ts`. */
export interface ChangeWatchSink extends ChangeWatch {
  /** Called once the connection is open, with the path it opened (a file or `:memory:`). */
  attach(database: DatabaseSync, path: string): void;
  /** Called before every statement that may write, commits and rollbacks included. */
  noteWrite(): void;
  /** Called when the connection closes. */
  detach(): void;
}

/** The first copy of the WAL-index header. */
const WAL_INDEX_HEADER_BYTES = 48;

/** A look at the WAL index's header through a file descriptor of its own. */
interface WalIndexHeader {
  /** Whether the header differs from the last look. */
  changed(): boolean;
  close(): void;
}

function openWalIndexHeader(path: string): WalIndexHeader | undefined {
  let fd: number;
  try {
    fd = openSync(`${path}-shm`, "r");
  } catch {
    return undefined;
  }
  let last = Buffer.alloc(WAL_INDEX_HEADER_BYTES);
  let next = Buffer.alloc(WAL_INDEX_HEADER_BYTES);
  if (readSync(fd, last, 0, WAL_INDEX_HEADER_BYTES, 0) !== WAL_INDEX_HEADER_BYTES) {
    closeSync(fd);
    return undefined;
  }
  return {
    changed() {
      // A short read (the file truncated under us) counts as a change too.
      const read = readSync(fd, next, 0, WAL_INDEX_HEADER_BYTES, 0);
      if (read === WAL_INDEX_HEADER_BYTES && next.equals(last)) return false;
      [last, next] = [next, last];
      return true;
    },
    close() {
      closeSync(fd);
    },
  };
}

/** A change watch for one connection, attached when it opens. */
export function createChangeWatch(): ChangeWatchSink {
  let dataVersion: StatementSync | undefined;
  let header: WalIndexHeader | undefined;
  let seenChanges = 0;
  let writes = 0;
  return {
    attach(database, path) {
      dataVersion = database.prepare("PRAGMA data_version");
      // Asking once opens the connection's read of the WAL index, which creates the file for a new database.
      dataVersion.get();
      const mode = database.prepare("PRAGMA journal_mode").get() as { journal_mode?: string } | undefined;
      const sharedIndex = database.prepare("PRAGMA locking_mode").get() as { locking_mode?: string } | undefined;
      if (mode?.journal_mode === "wal" && sharedIndex?.locking_mode === "normal") header = openWalIndexHeader(path);
    },
    noteWrite() {
      writes++;
    },
    token() {
      if (header !== undefined) {
        if (header.changed()) seenChanges++;
        return `${seenChanges}:${writes}`;
      }
      if (dataVersion === undefined) return undefined;
      const row = dataVersion.get() as { data_version: number } | undefined;
      return `${row?.data_version ?? 0}:${writes}`;
    },
    via() {
      if (header !== undefined) return "wal-index";
      return dataVersion === undefined ? undefined : "data-version";
    },
    detach() {
      header?.close();
      header = undefined;
      dataVersion = undefined;
    },
  };
}
