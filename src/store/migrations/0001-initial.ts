/**
 * The first schema: every table of {@link Database} with the indexes its
 * queries need. Lists are keyset-paginated on `seq`, so each list filter has
 * an index ending in `seq`.
 */
import { sql, type Kysely } from "kysely";
import type { SqlDialectName } from "../schema.ts";
import { addSeqColumn, timestampType } from "./portable-types.ts";

/**
 * Creates the initial tables and indexes. Migrations see the schema as it was
 * when they were written, not as it is now, so they take an untyped Kysely.
 */
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const time = timestampType(dialect);

  await db.schema
    .createTable("actors")
    .addColumn("uri", "text", (col) => col.primaryKey())
    .addColumn("type", "text", (col) => col.notNull())
    .addColumn("username", "text", (col) => col.notNull())
    .addColumn("username_lower", "text", (col) => col.notNull())
    .addColumn("host", "text", (col) => col.notNull())
    .addColumn("local", "integer", (col) => col.notNull())
    .addColumn("inbox", "text", (col) => col.notNull())
    .addColumn("shared_inbox", "text")
    .addColumn("outbox", "text")
    .addColumn("followers_uri", "text")
    .addColumn("following_uri", "text")
    .addColumn("featured_uri", "text")
    .addColumn("url", "text")
    .addColumn("name", "text")
    .addColumn("summary", "text")
    .addColumn("icon_url", "text")
    .addColumn("manually_approves_followers", "integer", (col) => col.notNull())
    .addColumn("discoverable", "integer", (col) => col.notNull())
    .addColumn("also_known_as", "text", (col) => col.notNull())
    .addColumn("moved_to", "text")
    .addColumn("fields", "text", (col) => col.notNull())
    .addColumn("published", time)
    .addColumn("updated_at", time, (col) => col.notNull())
    .addColumn("fetched_at", time)
    .addColumn("deleted_at", time)
    .addColumn("document", "text")
    .execute();
  // Two local accounts must never share a username, whatever its case.
  await db.schema
    .createIndex("actors_local_username")
    .unique()
    .on("actors")
    .column("username_lower")
    .where(sql.ref("local"), "=", sql.lit(1))
    .execute();
  await db.schema.createIndex("actors_host").on("actors").column("host").execute();

  await db.schema
    .createTable("keys")
    .addColumn("key_id", "text", (col) => col.primaryKey())
    .addColumn("owner_uri", "text", (col) => col.notNull())
    .addColumn("public_key_pem", "text", (col) => col.notNull())
    .addColumn("private_key_pem", "text")
    .execute();
  await db.schema.createIndex("keys_owner").on("keys").column("owner_uri").execute();

  await addSeqColumn(db.schema.createTable("follows"), dialect)
    .addColumn("follower_uri", "text", (col) => col.notNull())
    .addColumn("followee_uri", "text", (col) => col.notNull())
    .addColumn("activity_uri", "text", (col) => col.notNull().unique())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("created_at", time, (col) => col.notNull())
    .addUniqueConstraint("follows_pair", ["follower_uri", "followee_uri"])
    .execute();
  await db.schema.createIndex("follows_followee").on("follows").columns(["followee_uri", "state", "seq"]).execute();
  await db.schema.createIndex("follows_follower").on("follows").columns(["follower_uri", "state", "seq"]).execute();

  await addSeqColumn(db.schema.createTable("objects"), dialect)
    .addColumn("uri", "text", (col) => col.notNull().unique())
    .addColumn("type", "text", (col) => col.notNull())
    .addColumn("attributed_to", "text")
    .addColumn("local", "integer", (col) => col.notNull())
    .addColumn("visibility", "text", (col) => col.notNull())
    .addColumn("in_reply_to", "text")
    .addColumn("published", time)
    .addColumn("updated", time)
    .addColumn("recipients", "text", (col) => col.notNull())
    .addColumn("document", "text", (col) => col.notNull())
    .addColumn("deleted_at", time)
    .addColumn("former_type", "text")
    .execute();
  await db.schema.createIndex("objects_author").on("objects").columns(["attributed_to", "seq"]).execute();
  await db.schema.createIndex("objects_reply").on("objects").columns(["in_reply_to", "seq"]).execute();

  await addSeqColumn(db.schema.createTable("activities"), dialect)
    .addColumn("uri", "text", (col) => col.notNull().unique())
    .addColumn("type", "text", (col) => col.notNull())
    .addColumn("actor_uri", "text", (col) => col.notNull())
    .addColumn("object_uri", "text")
    .addColumn("target_uri", "text")
    .addColumn("local", "integer", (col) => col.notNull())
    .addColumn("visibility", "text", (col) => col.notNull())
    .addColumn("recipients", "text", (col) => col.notNull())
    .addColumn("document", "text", (col) => col.notNull())
    .addColumn("published", time, (col) => col.notNull())
    .execute();
  await db.schema.createIndex("activities_outbox").on("activities").columns(["actor_uri", "local", "seq"]).execute();
  await db.schema
    .createIndex("activities_actor_object")
    .on("activities")
    .columns(["actor_uri", "type", "object_uri"])
    .execute();

  await addSeqColumn(db.schema.createTable("reactions"), dialect)
    .addColumn("activity_uri", "text", (col) => col.notNull().unique())
    .addColumn("type", "text", (col) => col.notNull())
    .addColumn("actor_uri", "text", (col) => col.notNull())
    .addColumn("object_uri", "text", (col) => col.notNull())
    .addColumn("created_at", time, (col) => col.notNull())
    .addUniqueConstraint("reactions_once", ["type", "actor_uri", "object_uri"])
    .execute();
  await db.schema.createIndex("reactions_object").on("reactions").columns(["object_uri", "type", "seq"]).execute();
  await db.schema.createIndex("reactions_actor").on("reactions").columns(["actor_uri", "type", "seq"]).execute();

  await addSeqColumn(db.schema.createTable("blocks"), dialect)
    .addColumn("activity_uri", "text", (col) => col.notNull())
    .addColumn("actor_uri", "text", (col) => col.notNull())
    .addColumn("target_uri", "text", (col) => col.notNull())
    .addColumn("created_at", time, (col) => col.notNull())
    .addUniqueConstraint("blocks_pair", ["actor_uri", "target_uri"])
    .execute();
  await db.schema.createIndex("blocks_actor").on("blocks").columns(["actor_uri", "seq"]).execute();
  await db.schema.createIndex("blocks_target").on("blocks").column("target_uri").execute();

  await addSeqColumn(db.schema.createTable("collection_items"), dialect)
    .addColumn("collection_uri", "text", (col) => col.notNull())
    .addColumn("item_uri", "text", (col) => col.notNull())
    .addColumn("added_at", time, (col) => col.notNull())
    .addUniqueConstraint("collection_items_pair", ["collection_uri", "item_uri"])
    .execute();
  await db.schema
    .createIndex("collection_items_list")
    .on("collection_items")
    .columns(["collection_uri", "seq"])
    .execute();
  await db.schema.createIndex("collection_items_item").on("collection_items").column("item_uri").execute();

  await addSeqColumn(db.schema.createTable("inbox_entries"), dialect)
    .addColumn("actor_uri", "text", (col) => col.notNull())
    .addColumn("activity_uri", "text", (col) => col.notNull())
    .addColumn("received_at", time, (col) => col.notNull())
    .addUniqueConstraint("inbox_entries_pair", ["actor_uri", "activity_uri"])
    .execute();
  await db.schema.createIndex("inbox_entries_list").on("inbox_entries").columns(["actor_uri", "seq"]).execute();

  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("queue", "text", (col) => col.notNull())
    .addColumn("payload", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("run_at", time, (col) => col.notNull())
    .addColumn("created_at", time, (col) => col.notNull())
    .addColumn("finished_at", time)
    .addColumn("last_error", "text")
    .addColumn("dedupe_key", "text", (col) => col.unique())
    .addColumn("group_key", "text")
    .addColumn("locked_by", "text")
    .addColumn("locked_until", time)
    .execute();
  await db.schema.createIndex("jobs_due").on("jobs").columns(["status", "queue", "run_at"]).execute();
  await db.schema.createIndex("jobs_group").on("jobs").columns(["group_key", "status"]).execute();
  await db.schema.createIndex("jobs_worker").on("jobs").column("locked_by").execute();
  await db.schema.createIndex("jobs_finished").on("jobs").columns(["status", "finished_at"]).execute();

  await db.schema
    .createTable("host_health")
    .addColumn("host", "text", (col) => col.primaryKey())
    .addColumn("failures", "integer", (col) => col.notNull())
    .addColumn("last_failure_at", time)
    .addColumn("backoff_until", time)
    .execute();

  await db.schema
    .createTable("webfinger_cache")
    .addColumn("acct", "text", (col) => col.primaryKey())
    .addColumn("actor_uri", "text", (col) => col.notNull())
    .addColumn("fetched_at", time, (col) => col.notNull())
    .execute();
}
