/**
 * Claims that cost what they take, not what is queued. `jobs_due` (status,
 * queue, run_at) led the planners to read every due job of the asked queues
 * and sort them to find the oldest few, on every claim; it serves nothing
 * `jobs_claim` does not, so it goes, and claims walk `jobs_claim` in order.
 */
import { sql, type Kysely } from "kysely";
import type { SqlDialectName } from "../schema.ts";

/**
 * Drops `jobs_due`. Rebuilds `jobs_claim` with `queue` and `locked_until`
 * after its order columns: the jobs that are running are still pending and
 * come first in that order, and with both columns in the index SQLite skips
 * them (and jobs of queues not asked for) without reading their rows. Makes
 * `jobs_worker` hold only leased jobs, so finished ones do not pile up in it.
 */
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.dropIndex("jobs_due").execute();
  await db.schema.dropIndex("jobs_claim").execute();
  await db.schema
    .createIndex("jobs_claim")
    .on("jobs")
    .columns(["run_at", "created_at", "id", "queue", "locked_until"])
    .where(sql.ref("status"), "=", sql.lit("pending"))
    .execute();
  await db.schema.dropIndex("jobs_worker").execute();
  await db.schema
    .createIndex("jobs_worker")
    .on("jobs")
    .column("locked_by")
    .where(sql.ref("locked_by"), "is not", null)
    .execute();
}
