/** Follow relationships in the `follows` table. */
import { sql, type Kysely } from "kysely";
import type { FollowRecord, FollowState } from "./records.ts";
import type { FollowRow, Queryable } from "./schema.ts";
import type { FollowRepository } from "./store.ts";
import { applySeqWindow, readPage } from "./paging.ts";
import { prepareQuery, type PreparedQueries } from "./prepared-queries.ts";
import { toCount } from "./sql-values.ts";

// Run for the sender of every incoming activity: see prepared-queries.ts.
const selectLocalFollowers = prepareQuery<[string], { follower_uri: string }>(1, (db, [followeeUri]) =>
  db
    .selectFrom("follows")
    .innerJoin("actors", "actors.uri", "follows.follower_uri")
    .select("follows.follower_uri")
    .where("follows.followee_uri", "=", followeeUri)
    .where("follows.state", "=", sql.lit("accepted"))
    .where("actors.local", "=", sql.lit(1))
    .orderBy("follows.seq"),
);

// Run for every incoming Follow (and Accept, Reject, Undo of one).
const selectFollow = prepareQuery<[string, string], FollowRow>(2, (db, [followerUri, followeeUri]) =>
  db.selectFrom("follows").selectAll().where("follower_uri", "=", followerUri).where("followee_uri", "=", followeeUri),
);

// A Follow activity id names one pair; if it was stored for another pair (a
// confused or replayed remote), the newer use wins.
const deleteOtherPairOfActivity = prepareQuery<[string, string, string], unknown>(
  3,
  (db, [activityUri, followerUri, followeeUri]) =>
    db
      .deleteFrom("follows")
      .where("activity_uri", "=", activityUri)
      .where((eb) => eb.or([eb("follower_uri", "!=", followerUri), eb("followee_uri", "!=", followeeUri)])),
);

// Re-putting a pair keeps its seq, so its place in lists.
const upsertFollow = prepareQuery<[string, string, string, string, string], unknown>(
  5,
  (db, [followerUri, followeeUri, activityUri, state, createdAt]) =>
    db
      .insertInto("follows")
      .values({ follower_uri: followerUri, followee_uri: followeeUri, activity_uri: activityUri, state, created_at: createdAt })
      .onConflict((oc) =>
        oc.columns(["follower_uri", "followee_uri"]).doUpdateSet({ activity_uri: activityUri, state, created_at: createdAt }),
      ),
);

/** A `follows` row as a record. */
export function followRowToRecord(row: FollowRow): FollowRecord {
  return {
    followerUri: row.follower_uri,
    followeeUri: row.followee_uri,
    activityUri: row.activity_uri,
    state: row.state as FollowState,
    createdAt: row.created_at,
  };
}

type FollowSide = "followers" | "following";

/**
 * The `follow_counts` table of migration 0006: how many follows each actor
 * has on each side, by state. Triggers on `follows` keep it, in the same
 * transaction as the follows themselves.
 */
export interface FollowCountTable {
  actor_uri: string;
  /** `followers`: follows of the actor; `following`: follows by it. */
  side: FollowSide;
  state: string;
  /** bigint: PostgreSQL hands it back as a string. */
  n: number | string;
}

type CounterQueryable = Kysely<{ follow_counts: FollowCountTable }>;

/** A maintained count: one primary-key lookup, however many follows it stands for. */
async function readCount(db: CounterQueryable, actorUri: string, side: FollowSide, state: FollowState): Promise<number> {
  const row = await db
    .selectFrom("follow_counts")
    .select("n")
    .where("actor_uri", "=", actorUri)
    .where("side", "=", side)
    .where("state", "=", state)
    .executeTakeFirst();
  return toCount(row?.n);
}

/**
 * The follow repository over a database or transaction. Re-putting a pair
 * keeps its place in lists (its seq); only a new pair goes to the top.
 */
export function createFollowRepository(db: Queryable, prepared: PreparedQueries): FollowRepository {
  const counters: CounterQueryable = db.withTables<{ follow_counts: FollowCountTable }>();
  return {
    async get(followerUri, followeeUri) {
      const { rows } = await prepared.execute(db, selectFollow, [followerUri, followeeUri]);
      return rows[0] === undefined ? null : followRowToRecord(rows[0]);
    },

    async getByActivity(activityUri) {
      const row = await db.selectFrom("follows").selectAll().where("activity_uri", "=", activityUri).executeTakeFirst();
      return row === undefined ? null : followRowToRecord(row);
    },

    async put(follow) {
      await prepared.execute(db, deleteOtherPairOfActivity, [follow.activityUri, follow.followerUri, follow.followeeUri]);
      await prepared.execute(db, upsertFollow, [
        follow.followerUri,
        follow.followeeUri,
        follow.activityUri,
        follow.state,
        follow.createdAt,
      ]);
    },

    async setState(followerUri, followeeUri, state) {
      await db
        .updateTable("follows")
        .set({ state })
        .where("follower_uri", "=", followerUri)
        .where("followee_uri", "=", followeeUri)
        .execute();
    },

    async remove(followerUri, followeeUri) {
      const row = await db
        .deleteFrom("follows")
        .where("follower_uri", "=", followerUri)
        .where("followee_uri", "=", followeeUri)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : followRowToRecord(row);
    },

    listFollowers(followeeUri, state, page) {
      return readPage(
        page,
        (window) =>
          applySeqWindow(
            db.selectFrom("follows").selectAll().where("followee_uri", "=", followeeUri).where("state", "=", state),
            "seq",
            window,
          ).execute(),
        followRowToRecord,
      );
    },

    listFollowing(followerUri, state, page) {
      return readPage(
        page,
        (window) =>
          applySeqWindow(
            db.selectFrom("follows").selectAll().where("follower_uri", "=", followerUri).where("state", "=", state),
            "seq",
            window,
          ).execute(),
        followRowToRecord,
      );
    },

    async countFollowers(followeeUri, state) {
      return readCount(counters, followeeUri, "followers", state);
    },

    async countFollowing(followerUri, state) {
      return readCount(counters, followerUri, "following", state);
    },

    async localFollowers(followeeUri) {
      const { rows } = await prepared.execute(db, selectLocalFollowers, [followeeUri]);
      return rows.map((row) => row.follower_uri);
    },

    async followerInboxes(followeeUri) {
      return db
        .selectFrom("follows")
        .innerJoin("actors", "actors.uri", "follows.follower_uri")
        .select(["actors.uri as actorUri", "actors.inbox as inbox", "actors.shared_inbox as sharedInbox"])
        .where("follows.followee_uri", "=", followeeUri)
        .where("follows.state", "=", "accepted")
        .orderBy("follows.seq")
        .execute();
    },

    async removeAllFor(actorUri) {
      const result = await db
        .deleteFrom("follows")
        .where((eb) => eb.or([eb("follower_uri", "=", actorUri), eb("followee_uri", "=", actorUri)]))
        .executeTakeFirst();
      return toCount(result.numDeletedRows);
    },

    async moveFollowee(fromUri, toUri) {
      if (fromUri === toUri) return 0;
      const result = await db
        .updateTable("follows")
        .set({ followee_uri: toUri })
        .where("followee_uri", "=", fromUri)
        .where("follower_uri", "not in", (eb) =>
          eb.selectFrom("follows as existing").select("existing.follower_uri").where("existing.followee_uri", "=", toUri),
        )
        .executeTakeFirst();
      return toCount(result.numUpdatedRows);
    },
  };
}
