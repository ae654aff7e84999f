/** Resolved WebFinger accounts in the `webfinger_cache` table. */
import type { WebFingerCacheRecord } from "./records.ts";
import type { Queryable, WebFingerCacheRow } from "./schema.ts";
import type { WebFingerCacheRepository } from "./store.ts";

/** A `webfinger_cache` row as a record. */
export function webFingerCacheRowToRecord(row: WebFingerCacheRow): WebFingerCacheRecord {
  return { acct: row.acct, actorUri: row.actor_uri, fetchedAt: row.fetched_at };
}

/** The WebFinger cache over a database or transaction; accounts are matched lower case. */
export function createWebFingerCacheRepository(db: Queryable): WebFingerCacheRepository {
  return {
    async get(acct) {
      const row = await db
        .selectFrom("webfinger_cache")
        .selectAll()
        .where("acct", "=", acct.toLowerCase())
        .executeTakeFirst();
      return row === undefined ? null : webFingerCacheRowToRecord(row);
    },

    async put(record) {
      const changes = { actor_uri: record.actorUri, fetched_at: record.fetchedAt };
      await db
        .insertInto("webfinger_cache")
        .values({ acct: record.acct.toLowerCase(), ...changes })
        .onConflict((oc) => oc.column("acct").doUpdateSet(changes))
        .execute();
    },
  };
}
