/** Activities, sent and received, in the `activities` table. */
import { sql, type Insertable, type Kysely } from "kysely";
import type { ActivityRecord, JsonObject, Visibility } from "./records.ts";
import type { ActivityRow, ActivityTable, Queryable } from "./schema.ts";
import type { ActivityListFilter, ActivityRepository } from "./store.ts";
import { applySeqWindow, readPage } from "./paging.ts";
import { prepareQuery, rowArguments, rowOfArguments, type PreparedQueries } from "./prepared-queries.ts";
import { fromFlag, fromJson, toCount, toFlag, toJson } from "./sql-values.ts";

/** An `activities` row as a record. */
export function activityRowToRecord(row: ActivityRow): ActivityRecord {
  return {
    uri: row.uri,
    type: row.type,
    actorUri: row.actor_uri,
    objectUri: row.object_uri,
    targetUri: row.target_uri,
    local: fromFlag(row.local),
    visibility: row.visibility as Visibility,
    recipients: fromJson<string[]>(row.recipients),
    document: fromJson<JsonObject>(row.document),
    published: row.published,
  };
}

/** A record as an `activities` row. */
export function activityRecordToRow(activity: ActivityRecord): Insertable<ActivityTable> {
  return {
    uri: activity.uri,
    type: activity.type,
    actor_uri: activity.actorUri,
    object_uri: activity.objectUri,
    target_uri: activity.targetUri,
    local: toFlag(activity.local),
    visibility: activity.visibility,
    recipients: toJson(activity.recipients),
    document: toJson(activity.document),
    published: activity.published,
  };
}

/** Whether a filter can match anything at all (an empty `in` list cannot). */
export function activityFilterMatchesNothing(filter: ActivityListFilter): boolean {
  return filter.visibilities.length === 0 || (filter.types !== undefined && filter.types.length === 0);
}

/**
 * The `outbox_counts` table of migration 0007: how many local activities each
 * actor has of each type and visibility. Triggers on `activities` keep it, in
 * the same transaction as the activities themselves.
 */
export interface OutboxCountTable {
  actor_uri: string;
  type: string;
  visibility: string;
  /** bigint: PostgreSQL hands it back as a string. */
  n: number | string;
}

type ActivityInsert = Insertable<ActivityTable>;
const ACTIVITY_COLUMNS: readonly (keyof ActivityInsert & string)[] = [
  "uri", "type", "actor_uri", "object_uri", "target_uri", "local", "visibility", "recipients", "document", "published",
];

// Run for every incoming activity: see prepared-queries.ts.
const selectActivity = prepareQuery<[string], ActivityRow>(1, (db, [uri]) =>
  db.selectFrom("activities").selectAll().where("uri", "=", uri),
);
const insertActivity = prepareQuery<unknown[], { seq: number }>(ACTIVITY_COLUMNS.length, (db, args) =>
  db
    .insertInto("activities")
    .values(rowOfArguments<ActivityInsert>(ACTIVITY_COLUMNS, args))
    .onConflict((oc) => oc.column("uri").doNothing())
    .returning("seq"),
);

/** The activity repository over a database or transaction. */
export function createActivityRepository(db: Queryable, prepared: PreparedQueries): ActivityRepository {
  const counters: Kysely<{ outbox_counts: OutboxCountTable }> = db.withTables<{ outbox_counts: OutboxCountTable }>();

  function outbox(actorUri: string, filter: ActivityListFilter) {
    let query = db
      .selectFrom("activities")
      .where("actor_uri", "=", actorUri)
      // A literal, not a parameter: the outbox index holds local activities only, and the planner must see that this asks for no others.
      .where("local", "=", sql.lit(1))
      .where("visibility", "in", [...filter.visibilities]);
    if (filter.types !== undefined) query = query.where("type", "in", [...filter.types]);
    return query;
  }

  return {
    async get(uri) {
      const row = (await prepared.execute(db, selectActivity, [uri])).rows[0];
      return row === undefined ? null : activityRowToRecord(row);
    },

    async add(activity) {
      const { rows } = await prepared.execute(db, insertActivity, rowArguments(ACTIVITY_COLUMNS, activityRecordToRow(activity)));
      return rows.length > 0;
    },

    async listByActor(actorUri, filter, page) {
      if (activityFilterMatchesNothing(filter)) return { items: [], next: null, prev: null };
      return readPage(
        page,
        (window) => applySeqWindow(outbox(actorUri, filter).selectAll(), "seq", window).execute(),
        activityRowToRecord,
      );
    },

    async countByActor(actorUri, filter) {
      if (activityFilterMatchesNothing(filter)) return 0;
      // A handful of counter rows (one per type and visibility), whatever the outbox's length.
      let query = counters
        .selectFrom("outbox_counts")
        .select((eb) => eb.fn.sum<number | string | null>("n").as("n"))
        .where("actor_uri", "=", actorUri)
        .where("visibility", "in", [...filter.visibilities]);
      if (filter.types !== undefined) query = query.where("type", "in", [...filter.types]);
      const row = await query.executeTakeFirstOrThrow();
      return toCount(row.n);
    },

    async findLatest({ actorUri, type, objectUri }) {
      const row = await db
        .selectFrom("activities")
        .selectAll()
        .where("actor_uri", "=", actorUri)
        .where("type", "=", type)
        .where("object_uri", "=", objectUri)
        .orderBy("seq", "desc")
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? null : activityRowToRecord(row);
    },

    async removeByActor(actorUri) {
      const result = await db.deleteFrom("activities").where("actor_uri", "=", actorUri).executeTakeFirst();
      return toCount(result.numDeletedRows);
    },
  };
}
