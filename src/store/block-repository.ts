/** Blocks of one actor by another in the `blocks` table. */
import type { BlockRecord } from "./records.ts";
import type { BlockRow, Queryable } from "./schema.ts";
import type { BlockRepository } from "./store.ts";
import { applySeqWindow, readPage } from "./paging.ts";
import { prepareQuery, type PreparedQueries } from "./prepared-queries.ts";
import { toCount } from "./sql-values.ts";

/** Keeps `IN (…)` lists well under every backend's bound-parameter limit. */
const IN_LIST_CHUNK = 500;

/** A `blocks` row as a record. */
export function blockRowToRecord(row: BlockRow): BlockRecord {
  return {
    activityUri: row.activity_uri,
    actorUri: row.actor_uri,
    targetUri: row.target_uri,
    createdAt: row.created_at,
  };
}

// Asked for every incoming activity, mostly about its one recipient (see prepared-queries.ts).
const selectOneBlocker = prepareQuery<[string, string], { actor_uri: string }>(2, (db, [targetUri, actorUri]) =>
  db.selectFrom("blocks").select("actor_uri").where("target_uri", "=", targetUri).where("actor_uri", "=", actorUri),
);

// Asked for every incoming Follow.
const selectBlock = prepareQuery<[string, string], BlockRow>(2, (db, [actorUri, targetUri]) =>
  db.selectFrom("blocks").selectAll().where("actor_uri", "=", actorUri).where("target_uri", "=", targetUri),
);

/** The block repository over a database or transaction. */
export function createBlockRepository(db: Queryable, prepared: PreparedQueries): BlockRepository {
  return {
    async put(block) {
      const changes = { activity_uri: block.activityUri, created_at: block.createdAt };
      await db
        .insertInto("blocks")
        .values({ actor_uri: block.actorUri, target_uri: block.targetUri, ...changes })
        .onConflict((oc) => oc.columns(["actor_uri", "target_uri"]).doUpdateSet(changes))
        .execute();
    },

    async remove(actorUri, targetUri) {
      const row = await db
        .deleteFrom("blocks")
        .where("actor_uri", "=", actorUri)
        .where("target_uri", "=", targetUri)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : blockRowToRecord(row);
    },

    async get(actorUri, targetUri) {
      const row = (await prepared.execute(db, selectBlock, [actorUri, targetUri])).rows[0];
      return row === undefined ? null : blockRowToRecord(row);
    },

    async blockersAmong(actorUris, targetUri) {
      const blockers: string[] = [];
      const unique = [...new Set(actorUris)];
      if (unique.length === 1) {
        const { rows } = await prepared.execute(db, selectOneBlocker, [targetUri, unique[0]!]);
        return rows.map((row) => row.actor_uri);
      }
      for (let start = 0; start < unique.length; start += IN_LIST_CHUNK) {
        const rows = await db
          .selectFrom("blocks")
          .select("actor_uri")
          .where("target_uri", "=", targetUri)
          .where("actor_uri", "in", unique.slice(start, start + IN_LIST_CHUNK))
          .execute();
        for (const row of rows) blockers.push(row.actor_uri);
      }
      return blockers;
    },

    list(actorUri, page) {
      return readPage(
        page,
        (window) => applySeqWindow(db.selectFrom("blocks").selectAll().where("actor_uri", "=", actorUri), "seq", window).execute(),
        blockRowToRecord,
      );
    },

    async removeByActor(actorUri) {
      const result = await db.deleteFrom("blocks").where("actor_uri", "=", actorUri).executeTakeFirst();
      return toCount(result.numDeletedRows);
    },
  };
}
