/**
 * Where the embedded SQLite database lives in a data directory. Its own
 * module, so that code running before the store loads (see
 * src/cli/keys-ahead.ts) can tell whether a database exists yet.
 */
import { join } from "node:path";

/** The SQLite database file of a data directory. */
export function sqliteFileIn(dataDir: string): string {
  return join(dataDir, "outpost.sqlite");
}
