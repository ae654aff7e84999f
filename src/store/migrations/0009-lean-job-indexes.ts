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
  // Each index keeps its name and columns, and holds only the rows where `present` is set.
  const rebuilt = [
    { name: "jobs_group", columns: ["group_key", "status"], present: "group_key" },
    { name: "jobs_finished", columns: ["status", "finished_at"], present: "finished_at" },
  ];
  for (const index of rebuilt) {
    await db.schema.dropIndex(index.name).execute();
    await db.schema.createIndex(index.name).on("jobs").columns(index.columns).where(sql.ref(index.present), "is not", null).execute();
  }
}
