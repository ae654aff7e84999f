/** Failure history of remote hosts in the `host_health` table. */
import type { HostHealthRecord } from "./records.ts";
import type { HostHealthRow, Queryable } from "./schema.ts";
import type { HostHealthRepository } from "./store.ts";
import { prepareQuery, type PreparedQueries } from "./prepared-queries.ts";

/** A `host_health` row as a record. */
export function hostHealthRowToRecord(row: HostHealthRow): HostHealthRecord {
  return {
    host: row.host,
    failures: Number(row.failures),
    lastFailureAt: row.last_failure_at,
    backoffUntil: row.backoff_until,
  };
}

// Read once per host a process delivers to: ten thousand times in a fan-out to ten thousand origins.
const selectHostHealth = prepareQuery<[string], HostHealthRow>(1, (db, [host]) =>
  db.selectFrom("host_health").selectAll().where("host", "=", host),
);

/**
 * The host health repository over a database or transaction. A success
 * clears the failure count and backoff but keeps when the host last failed.
 */
export function createHostHealthRepository(db: Queryable, prepared: PreparedQueries): HostHealthRepository {
  return {
    async get(host) {
      const row = (await prepared.execute(db, selectHostHealth, [host])).rows[0];
      return row === undefined ? null : hostHealthRowToRecord(row);
    },

    async recordFailure(host, { at, backoffUntil }) {
      // One upsert, so concurrent failures of one host each count.
      const row = await db
        .insertInto("host_health")
        .values({ host, failures: 1, last_failure_at: at, backoff_until: backoffUntil })
        .onConflict((oc) =>
          oc.column("host").doUpdateSet((eb) => ({
            failures: eb("host_health.failures", "+", 1),
            last_failure_at: at,
            backoff_until: backoffUntil,
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return hostHealthRowToRecord(row);
    },

    async recordSuccess(host) {
      await db
        .updateTable("host_health")
        .set({ failures: 0, backoff_until: null })
        .where("host", "=", host)
        .where((eb) => eb.or([eb("failures", "!=", 0), eb("backoff_until", "is not", null)]))
        .execute();
    },
  };
}
