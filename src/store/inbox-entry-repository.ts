/** What reached each local actor's inbox, in the `inbox_entries` table. */
import type { Queryable } from "./schema.ts";
import type { InboxEntryRepository } from "./store.ts";
import { activityFilterMatchesNothing, activityRowToRecord } from "./activity-repository.ts";
import { applySeqWindow, readPage } from "./paging.ts";
import { prepareQuery, type PreparedQueries } from "./prepared-queries.ts";

/** Rows per INSERT: one statement for a delivery to a few hundred local actors. */
const INSERT_CHUNK = 300;

// Most activities reach one local actor: that insert runs for every one (see prepared-queries.ts).
const insertOneEntry = prepareQuery<[string, string, string], unknown>(3, (db, [actorUri, activityUri, receivedAt]) =>
  db
    .insertInto("inbox_entries")
    .values({ actor_uri: actorUri, activity_uri: activityUri, received_at: receivedAt })
    .onConflict((oc) => oc.columns(["actor_uri", "activity_uri"]).doNothing()),
);

/**
 * The inbox entry repository over a database or transaction. Entries are
 * listed in the order they arrived (their own seq), joined to the stored
 * activity; an entry whose activity is gone is not listed.
 */
export function createInboxEntryRepository(db: Queryable, prepared: PreparedQueries): InboxEntryRepository {
  return {
    async add(activityUri, actorUris, receivedAt) {
      const unique = [...new Set(actorUris)];
      if (unique.length === 1) {
        await prepared.execute(db, insertOneEntry, [unique[0]!, activityUri, receivedAt]);
        return;
      }
      for (let start = 0; start < unique.length; start += INSERT_CHUNK) {
        await db
          .insertInto("inbox_entries")
          .values(
            unique.slice(start, start + INSERT_CHUNK).map((actorUri) => ({
              actor_uri: actorUri,
              activity_uri: activityUri,
              received_at: receivedAt,
            })),
          )
          .onConflict((oc) => oc.columns(["actor_uri", "activity_uri"]).doNothing())
          .execute();
      }
    },

    async list(actorUri, filter, page) {
      if (activityFilterMatchesNothing(filter)) return { items: [], next: null, prev: null };
      return readPage(
        page,
        (window) => {
          let query = db
            .selectFrom("inbox_entries")
            .innerJoin("activities", "activities.uri", "inbox_entries.activity_uri")
            // The entry's seq, not the activity's: the cursor orders arrivals.
            .select([
              "inbox_entries.seq as seq",
              "activities.uri",
              "activities.type",
              "activities.actor_uri",
              "activities.object_uri",
              "activities.target_uri",
              "activities.local",
              "activities.visibility",
              "activities.recipients",
              "activities.document",
              "activities.published",
            ])
            .where("inbox_entries.actor_uri", "=", actorUri)
            .where("activities.visibility", "in", [...filter.visibilities]);
          if (filter.types !== undefined) query = query.where("activities.type", "in", [...filter.types]);
          return applySeqWindow(query, "inbox_entries.seq", window).execute();
        },
        activityRowToRecord,
      );
    },
  };
}
