/** The durable job queue in the `jobs` table. */
import { randomUUID } from "node:crypto";
import type { Insertable } from "kysely";
import type { JobRecord, JobStatus } from "./records.ts";
import type { JobRow, JobTable, Queryable, SqlDialectName } from "./schema.ts";
import type { JobRepository } from "./store.ts";
import { fromJson, toCount, toJson } from "./sql-values.ts";

/**
 * Rows per INSERT when queueing: a fan-out queues thousands of deliveries at
 * once, and one multi-row statement per few hundred keeps that to a handful of
 * round trips while staying under every backend's bound-parameter limit.
 */
const INSERT_CHUNK = 250;

/** A `jobs` row as a record. */
export function jobRowToRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    queue: row.queue,
    payload: fromJson<unknown>(row.payload),
    status: row.status as JobStatus,
    attempts: Number(row.attempts),
    runAt: row.run_at,
    createdAt: row.created_at,
    lastError: row.last_error,
    dedupeKey: row.dedupe_key,
    groupKey: row.group_key,
  };
}

function compareJobRows(a: JobRow, b: JobRow): number {
  if (a.run_at !== b.run_at) return a.run_at < b.run_at ? -1 : 1;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function statusCounts(rows: readonly { status: string; n: number | string | bigint }[]) {
  const counts = { pending: 0, done: 0, failed: 0 };
  for (const row of rows) {
    if (row.status === "pending" || row.status === "done" || row.status === "failed") {
      counts[row.status] = toCount(row.n);
    }
  }
  return counts;
}

/**
 * The job repository over a database or transaction. A claimed job stays
 * `pending` and carries a lease (`locked_by`, `locked_until`); a worker that
 * dies simply lets the lease lapse, and the job becomes claimable again.
 */
export function createJobRepository(db: Queryable, dialect: SqlDialectName): JobRepository {
  return {
    async enqueue(jobs) {
      if (jobs.length === 0) return 0;
      const now = new Date().toISOString();
      const rows: Insertable<JobTable>[] = jobs.map((job) => ({
        id: randomUUID(),
        queue: job.queue,
        payload: toJson(job.payload),
        status: "pending",
        attempts: 0,
        run_at: job.runAt ?? now,
        created_at: now,
        dedupe_key: job.dedupeKey ?? null,
        group_key: job.groupKey ?? null,
      }));
      const insertAll = async (target: Queryable) => {
        let queued = 0;
        for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
          // No conflict target: the only unique column a new job can collide
          // on is dedupe_key, and a collision means "already queued".
          const inserted = await target
            .insertInto("jobs")
            .values(rows.slice(start, start + INSERT_CHUNK))
            .onConflict((oc) => oc.doNothing())
            .returning("id")
            .execute();
          queued += inserted.length;
        }
        return queued;
      };
      // Several statements commit together, so a fan-out is queued whole or not at all.
      if (db.isTransaction || rows.length <= INSERT_CHUNK) return insertAll(db);
      return db.transaction().execute(insertAll);
    },

    async claim({ queues, limit, workerId, leaseMs, now }) {
      if (queues.length === 0 || limit < 1) return [];
      const at = now.toISOString();
      const lockedUntil = new Date(now.getTime() + leaseMs).toISOString();
      let due = db
        .selectFrom("jobs")
        .select("id")
        .where("status", "=", "pending")
        .where("queue", "in", [...queues])
        .where("run_at", "<=", at)
        .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", at)]))
        .orderBy("run_at")
        .orderBy("created_at")
        .orderBy("id")
        .limit(Math.floor(limit));
      // PostgreSQL runs claims side by side: each skips the rows another has
      // locked. SQLite runs one writer at a time, so the plain statement is atomic.
      if (dialect === "postgres") due = due.forUpdate().skipLocked();
      const rows = await db
        .updateTable("jobs")
        .set({ locked_by: workerId, locked_until: lockedUntil })
        .where("id", "in", due)
        .returningAll()
        .execute();
      return rows.sort(compareJobRows).map(jobRowToRecord);
    },

    async complete(id, now) {
      await db
        .updateTable("jobs")
        .set({ status: "done", finished_at: now.toISOString(), locked_by: null, locked_until: null })
        .where("id", "=", id)
        .execute();
    },

    async retry(id, { runAt, error }) {
      await db
        .updateTable("jobs")
        .set((eb) => ({
          attempts: eb("attempts", "+", 1),
          run_at: runAt,
          last_error: error,
          locked_by: null,
          locked_until: null,
        }))
        .where("id", "=", id)
        .execute();
    },

    async fail(id, { error }) {
      await db
        .updateTable("jobs")
        .set((eb) => ({
          status: "failed",
          attempts: eb("attempts", "+", 1),
          last_error: error,
          finished_at: new Date().toISOString(),
          locked_by: null,
          locked_until: null,
        }))
        .where("id", "=", id)
        .execute();
    },

    async release(workerId) {
      const result = await db
        .updateTable("jobs")
        .set({ locked_by: null, locked_until: null })
        .where("locked_by", "=", workerId)
        .executeTakeFirst();
      return toCount(result.numUpdatedRows);
    },

    async get(id) {
      const row = await db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
      return row === undefined ? null : jobRowToRecord(row);
    },

    async countByGroup(groupKey) {
      const rows = await db
        .selectFrom("jobs")
        .select((eb) => ["status", eb.fn.countAll().as("n")])
        .where("group_key", "=", groupKey)
        .groupBy("status")
        .execute();
      return statusCounts(rows as { status: string; n: number | string | bigint }[]);
    },

    async counts() {
      const rows = await db
        .selectFrom("jobs")
        .select((eb) => ["status", eb.fn.countAll().as("n")])
        .groupBy("status")
        .execute();
      return statusCounts(rows as { status: string; n: number | string | bigint }[]);
    },

    async purge({ olderThan, includeFailed }) {
      const statuses: JobStatus[] = includeFailed === true ? ["done", "failed"] : ["done"];
      const result = await db
        .deleteFrom("jobs")
        .where("status", "in", statuses)
        .where("finished_at", "<", olderThan)
        .executeTakeFirst();
      return toCount(result.numDeletedRows);
    },
  };
}
