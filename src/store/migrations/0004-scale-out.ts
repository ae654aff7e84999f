/**
 * What several processes sharing one database need: rate-limit counters they
 * all draw on (when several web processes answer one domain, a client's
 * budget must be counted once, not once per process), and an index that lets
 * workers claim the next due jobs without sorting the whole backlog.
 */
import { sql, type Kysely } from "kysely";
import type { SqlDialectName } from "../schema.ts";

/**
 * Creates `rate_limits`: one row per limited key, holding the time (epoch
 * milliseconds) at which the key's budget is whole again; rows past that time
 * mean nothing and are purged through the index on it. Adds `jobs_claim`:
 * pending jobs in the order workers take them, so that a claim reads the
 * first few of a large backlog and stops.
 */
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (col) => col.primaryKey())
    .addColumn("full_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("rate_limits_full_at").on("rate_limits").column("full_at").execute();
  await db.schema
    .createIndex("jobs_claim")
    .on("jobs")
    .columns(["run_at", "created_at", "id"])
    .where(sql.ref("status"), "=", sql.lit("pending"))
    .execute();
}
