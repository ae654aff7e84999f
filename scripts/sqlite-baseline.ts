/**
 * Writes src/store/migrations/sqlite-baseline.ts: the statements that build
 * the schema every migration builds, read off a SQLite database migrated
 * one step at a time by Kysely's Migrator. A new SQLite store is given that
 * schema in one transaction (see migrate.ts). Run it after adding a
 * migration; a test fails until the baseline matches the migrations again.
 *
 *   node scripts/sqlite-baseline.ts
 */
import { writeFileSync } from "node:fs";
import { migratedSqliteSchema, type SqliteSchema } from "../src/store/migrations/migrate.ts";

/** The module's text. */
function baselineModule(schema: SqliteSchema): string {
  return `/**
 * The schema a new SQLite store is given in one step: what the migrations
 * listed below build, as SQLite itself states it. Written by
 * \`node scripts/sqlite-baseline.ts\` (do not edit); migrate.ts uses it, and
 * a test checks that it still matches the migrations.
 */
import type { SqliteSchema } from "./migrate.ts";

export const SQLITE_BASELINE: SqliteSchema = ${JSON.stringify(schema, null, 2)};
`;
}

if (import.meta.main) {
  const target = new URL("../src/store/migrations/sqlite-baseline.ts", import.meta.url);
  writeFileSync(target, baselineModule(await migratedSqliteSchema()));
}
