/** Likes and Announces in the `reactions` table. */
import type { ReactionRecord, ReactionType } from "./records.ts";
import type { Queryable, ReactionRow } from "./schema.ts";
import type { ReactionRepository } from "./store.ts";
import { applySeqWindow, readPage } from "./paging.ts";
import { toCount } from "./sql-values.ts";

/** A `reactions` row as a record. */
export function reactionRowToRecord(row: ReactionRow): ReactionRecord {
  return {
    activityUri: row.activity_uri,
    type: row.type as ReactionType,
    actorUri: row.actor_uri,
    objectUri: row.object_uri,
    createdAt: row.created_at,
  };
}

/**
 * The reaction repository over a database or transaction. An actor reacts
 * at most once of each type to an object, and an activity is one reaction.
 */
export function createReactionRepository(db: Queryable): ReactionRepository {
  return {
    async add(reaction) {
      // No conflict target: a repeat of either the (type, actor, object)
      // triple or the activity id is the same reaction again.
      const inserted = await db
        .insertInto("reactions")
        .values({
          activity_uri: reaction.activityUri,
          type: reaction.type,
          actor_uri: reaction.actorUri,
          object_uri: reaction.objectUri,
          created_at: reaction.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning("seq")
        .execute();
      return inserted.length > 0;
    },

    async getByActivity(activityUri) {
      const row = await db.selectFrom("reactions").selectAll().where("activity_uri", "=", activityUri).executeTakeFirst();
      return row === undefined ? null : reactionRowToRecord(row);
    },

    async removeByActivity(activityUri) {
      const row = await db
        .deleteFrom("reactions")
        .where("activity_uri", "=", activityUri)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : reactionRowToRecord(row);
    },

    async remove({ type, actorUri, objectUri }) {
      const row = await db
        .deleteFrom("reactions")
        .where("type", "=", type)
        .where("actor_uri", "=", actorUri)
        .where("object_uri", "=", objectUri)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : reactionRowToRecord(row);
    },

    list(objectUri, type, page) {
      return readPage(
        page,
        (window) =>
          applySeqWindow(
            db.selectFrom("reactions").selectAll().where("object_uri", "=", objectUri).where("type", "=", type),
            "seq",
            window,
          ).execute(),
        reactionRowToRecord,
      );
    },

    async count(objectUri, type) {
      const row = await db
        .selectFrom("reactions")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("object_uri", "=", objectUri)
        .where("type", "=", type)
        .executeTakeFirstOrThrow();
      return toCount(row.n);
    },

    listByActor(actorUri, type, page) {
      return readPage(
        page,
        (window) =>
          applySeqWindow(
            db.selectFrom("reactions").selectAll().where("actor_uri", "=", actorUri).where("type", "=", type),
            "seq",
            window,
          ).execute(),
        reactionRowToRecord,
      );
    },

    async countByActor(actorUri, type) {
      const row = await db
        .selectFrom("reactions")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("actor_uri", "=", actorUri)
        .where("type", "=", type)
        .executeTakeFirstOrThrow();
      return toCount(row.n);
    },

    async removeByActor(actorUri) {
      const result = await db.deleteFrom("reactions").where("actor_uri", "=", actorUri).executeTakeFirst();
      return toCount(result.numDeletedRows);
    },
  };
}
