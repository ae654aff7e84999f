/**
 * The ordered list of migrations, handed to Kysely's Migrator by a static
 * provider: the list is code, so nothing scans the file system and the set
 * is the same however Outpost is installed or bundled.
 */
import type { Kysely, Migration, MigrationProvider } from "kysely";
import type { SqlDialectName } from "../schema.ts";
import * as initial from "./0001-initial.ts";
import * as accounts from "./0002-accounts.ts";
import * as interactions from "./0003-interactions.ts";
import * as scaleOut from "./0004-scale-out.ts";
import * as jobQueue from "./0005-job-queue.ts";
import * as followCounts from "./0006-follow-counts.ts";
import * as outboxCounts from "./0007-outbox-counts.ts";
import * as actorDocumentVersions from "./0008-actor-document-versions.ts";
import * as leanJobIndexes from "./0009-lean-job-indexes.ts";
import * as localOutboxIndex from "./0010-local-outbox-index.ts";

/** A migration written once for both backends; it learns which one it runs on. */
export interface PortableMigration {
  up(db: Kysely<any>, dialect: SqlDialectName): Promise<void>;
}

/** Every migration, by name; names sort in the order they run. */
export const migrations: Readonly<Record<string, PortableMigration>> = {
  "0001-initial": initial,
  "0002-accounts": accounts,
  "0003-interactions": interactions,
  "0004-scale-out": scaleOut,
  "0005-job-queue": jobQueue,
  "0006-follow-counts": followCounts,
  "0007-outbox-counts": outboxCounts,
  "0008-actor-document-versions": actorDocumentVersions,
  "0009-lean-job-indexes": leanJobIndexes,
  "0010-local-outbox-index": localOutboxIndex,
};

/** A provider of {@link migrations} bound to one backend. */
export function createMigrationProvider(dialect: SqlDialectName): MigrationProvider {
  return {
    async getMigrations() {
      const bound: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(migrations)) {
        bound[name] = { up: (db) => migration.up(db, dialect) };
      }
      return bound;
    },
  };
}
