/** The durable job queue in the `jobs` table. */
import { timeOrderedId } from "./time-ordered-id.ts";
import { createEnqueueGroup } from "./job-enqueue-group.ts";
import {
  claimJobs,
  completeJobs,
  failJob,
  insertJobs,
  retryJob,
  STATEMENT_CHUNK,
  type ClaimedJobRow,
  type JobInsertRow,
} from "./job-statements.ts";
import type { JobRecord, JobStatus } from "./records.ts";
import type { JobRow, Queryable, SqlDialectName } from "./schema.ts";
import type { ClaimJobsParameters, JobRepository, JobSettlement } from "./store.ts";
import { fromJson, toCount, toJson } from "./sql-values.ts";

/** A `jobs` row as a record; a claimed row is pending by definition. */
export function jobRowToRecord(row: JobRow | ClaimedJobRow): JobRecord {
  return {
    id: row.id,
    queue: row.queue,
    payload: fromJson<unknown>(row.payload),
    status: "status" in row ? (row.status as JobStatus) : "pending",
    attempts: Number(row.attempts),
    runAt: row.run_at,
    createdAt: row.created_at,
    lastError: row.last_error,
    dedupeKey: row.dedupe_key,
    groupKey: row.group_key,
  };
}

function compareJobRows(a: ClaimedJobRow, b: ClaimedJobRow): number {
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

/** Writes settlements in as few statements as they allow: every done job in one. */
async function writeSettlements(db: Queryable, settlements: readonly JobSettlement[], now: Date): Promise<void> {
  const finishedAt = now.toISOString();
  const done: string[] = [];
  for (const settlement of settlements) {
    if (settlement.kind === "done") done.push(settlement.id);
    else if (settlement.kind === "retry") await retryJob(db, settlement.id, settlement);
    else await failJob(db, settlement.id, { error: settlement.error, finishedAt });
  }
  for (let start = 0; start < done.length; start += STATEMENT_CHUNK) {
    await completeJobs(db, done.slice(start, start + STATEMENT_CHUNK), finishedAt);
  }
}

/** Claims due jobs for a worker, oldest first. */
async function claimOn(db: Queryable, dialect: SqlDialectName, params: ClaimJobsParameters): Promise<JobRecord[]> {
  const { queues, limit, workerId, leaseMs, now } = params;
  if (queues.length === 0 || limit < 1) return [];
  const rows = await claimJobs(db, {
    dialect,
    queues,
    limit: Math.floor(limit),
    workerId,
    at: now.toISOString(),
    lockedUntil: new Date(now.getTime() + leaseMs).toISOString(),
  });
  return rows.sort(compareJobRows).map(jobRowToRecord);
}

/**
 * The job repository over a database or transaction. A claimed job stays
 * `pending` and carries a lease (`locked_by`, `locked_until`); a worker that
 * dies simply lets the lease lapse, and the job becomes claimable again.
 * Over the database itself, concurrent enqueues are committed together (see
 * {@link createEnqueueGroup}); within a transaction they are part of it.
 */
export function createJobRepository(db: Queryable, dialect: SqlDialectName): JobRepository {
  const grouped = db.isTransaction ? undefined : createEnqueueGroup(db);
  return {
    async enqueue(jobs) {
      if (jobs.length === 0) return 0;
      const now = new Date().toISOString();
      const rows: JobInsertRow[] = jobs.map((job) => ({
        id: timeOrderedId(),
        queue: job.queue,
        payload: toJson(job.payload),
        runAt: job.runAt ?? now,
        createdAt: now,
        dedupeKey: job.dedupeKey ?? null,
        groupKey: job.groupKey ?? null,
      }));
      if (grouped !== undefined) return grouped(rows);
      let queued = 0;
      for (let start = 0; start < rows.length; start += STATEMENT_CHUNK) {
        queued += (await insertJobs(db, rows.slice(start, start + STATEMENT_CHUNK))).length;
      }
      return queued;
    },

    claim(params) {
      return claimOn(db, dialect, params);
    },

    async settleAndClaim(settlements, params) {
      const settleThenClaim = async (on: Queryable): Promise<JobRecord[]> => {
        await writeSettlements(on, settlements, params.now);
        return claimOn(on, dialect, params);
      };
      return db.isTransaction ? settleThenClaim(db) : db.transaction().execute(settleThenClaim);
    },

    async complete(id, now) {
      await completeJobs(db, [id], now.toISOString());
    },

    async retry(id, params) {
      await retryJob(db, id, params);
    },

    async fail(id, { error }) {
      await failJob(db, id, { error, finishedAt: new Date().toISOString() });
    },

    async settle(settlements, now) {
      if (settlements.length === 0) return;
      // One UPDATE commits by itself (a lone outcome, or done jobs that fit one statement); more must commit together.
      const allDone = settlements.length <= STATEMENT_CHUNK && settlements.every((settlement) => settlement.kind === "done");
      if (settlements.length === 1 || allDone || db.isTransaction) return writeSettlements(db, settlements, now);
      await db.transaction().execute((trx) => writeSettlements(trx, settlements, now));
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
