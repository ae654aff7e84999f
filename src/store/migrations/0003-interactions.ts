/**
 * Interactions with local objects and actors (replies, likes, boosts,
 * mentions, quotes) and the quote requests answered for local objects.
 */
import type { Kysely } from "kysely";
import type { SqlDialectName } from "../schema.ts";
import { addSeqColumn, timestampType } from "./portable-types.ts";

/** Creates the interaction tables and the indexes their lists need. */
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const time = timestampType(dialect);

  await addSeqColumn(db.schema.createTable("interactions"), dialect)
    .addColumn("uri", "text", (col) => col.notNull())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("target_uri", "text")
    .addColumn("local_actor_uri", "text", (col) => col.notNull())
    .addColumn("actor_uri", "text", (col) => col.notNull())
    .addColumn("content", "text")
    .addColumn("published", time)
    .addColumn("updated", time)
    .addColumn("visibility", "text", (col) => col.notNull())
    .addColumn("document", "text", (col) => col.notNull())
    .addColumn("created_at", time, (col) => col.notNull())
    .addColumn("deleted_at", time)
    .addUniqueConstraint("interactions_once", ["uri", "kind"])
    .execute();
  await db.schema.createIndex("interactions_target").on("interactions").columns(["target_uri", "kind", "seq"]).execute();
  await db.schema.createIndex("interactions_local_actor").on("interactions").columns(["local_actor_uri", "seq"]).execute();
  await db.schema.createIndex("interactions_actor").on("interactions").column("actor_uri").execute();

  await addSeqColumn(db.schema.createTable("quote_authorizations"), dialect)
    .addColumn("uri", "text", (col) => col.notNull().unique())
    .addColumn("request_uri", "text", (col) => col.notNull().unique())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("local_actor_uri", "text", (col) => col.notNull())
    .addColumn("actor_uri", "text", (col) => col.notNull())
    .addColumn("quote_uri", "text", (col) => col.notNull())
    .addColumn("target_uri", "text", (col) => col.notNull())
    .addColumn("request", "text", (col) => col.notNull())
    .addColumn("created_at", time, (col) => col.notNull())
    .addColumn("decided_at", time)
    .addColumn("revoked_at", time)
    .addUniqueConstraint("quote_authorizations_pair", ["quote_uri", "target_uri"])
    .execute();
  await db.schema
    .createIndex("quote_authorizations_local_actor")
    .on("quote_authorizations")
    .columns(["local_actor_uri", "state", "seq"])
    .execute();
}
