/**
 * Job indexes that hold only the jobs they are asked about. Every incoming
 * activity is a job: it is inserted, claimed and finished, and each of those
 * writes every index whose columns it touches. `jobs_group` held every job
 * under its group key, though only the jobs of a local publication have one
 * (delivery progress asks by key), and `jobs_finished` held every job under
 * its status, though only finished jobs are asked for (purges, by finishing
 * time). Each job was therefore written into both twice, once as pending and
 * again when it finished.
 */
import { sql, type Kysely } from "kysely";
import type { SqlDialectName } from "../schema.ts";

/**
 * Rebuilds `jobs_group` over jobs with a group key and `jobs_finished` over
 * finished jobs. Queries for a group (`group_key = ?`) or for jobs finished
 * before a time (`finished_at < ?`) imply the index's condition, so both
 * databases still use them.
 */
export async function up(db: Kysely<any>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.dropIndex("jobs_group").execute();
  await db.schema
    .createIndex("jobs_group")
    .on("jobs")
    .columns(["group_key", "status"])
    .where(sql.ref("group_key"), "is not", null)
    .execute();
  await db.schema.dropIndex("jobs_finished").execute();
  await db.schema
    .createIndex("jobs_finished")
    .on("jobs")
    .columns(["status", "finished_at"])
    .where(sql.ref("finished_at"), "is not", null)
    .execute();
}
