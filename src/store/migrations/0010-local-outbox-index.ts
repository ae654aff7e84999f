/**
 * The outbox index over local activities only. `activities_outbox` (actor,
 * local, seq) is read by one query, the outbox's, and that asks for local
 * activities only; yet every received activity was written into it too, at
 * a place given by its actor, so each one dirtied a page of it of its own.
 * Received activities are looked up by actor through
 * `activities_actor_object`, whose first column is the actor as well.
 */
import { sql, type Kysely } from "kysely";
import type { SqlDialectName } from "../schema.ts";

/**
 * Rebuilds `activities_outbox` over rows with `local = 1`. The outbox query
 * writes that condition as a literal: SQLite uses a partial index only when
 * the statement's text implies its condition, and so does PostgreSQL when it
 * plans a prepared statement once for any parameters.
 */
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.dropIndex("activities_outbox").execute();
  await db.schema
    .createIndex("activities_outbox")
    .on("activities")
    .columns(["actor_uri", "local", "seq"])
    .where(sql.ref("local"), "=", sql.lit(1))
    .execute();
}
