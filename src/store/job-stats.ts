/**
 * The job queue at a glance, for operators: per queue, what is waiting, what
 * is running and what failed, and how many remote hosts are backed off. A
 * growing `due` count or an old `oldestDueAt` means the workers do not keep
 * up; a growing `failed` count means deliveries or inbox jobs are given up.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.ts";
import { toCount } from "./sql-values.ts";

/** The state of one queue. */
export interface QueueStats {
  readonly queue: string;
  /** Pending, due now and not claimed: waiting for a worker. */
  readonly due: number;
  /** Pending with a later run time (retries, backed-off hosts). */
  readonly scheduled: number;
  /** Claimed by a worker under a live lease. */
  readonly running: number;
  readonly failed: number;
  /** Finished and not purged yet. */
  readonly done: number;
  /** The run time of the longest-waiting due job; null when none is due. */
  readonly oldestDueAt: string | null;
}

/** The job queue and the delivery backoffs. */
export interface JobStats {
  readonly queues: readonly QueueStats[];
  /** Remote hosts that deliveries currently leave alone after repeated failures. */
  readonly backedOffHosts: number;
}

/** Parameters of {@link readJobStats}. */
export interface ReadJobStatsParams {
  readonly db: Kysely<Database>;
  readonly now: Date;
}

interface QueueRow {
  queue: string;
  due: number | string | null;
  scheduled: number | string | null;
  running: number | string | null;
  failed: number | string | null;
  done: number | string | null;
  oldest_due_at: string | null;
}

/** Counts the jobs of every queue (one pass over the table) and the backed-off hosts. */
export async function readJobStats(params: ReadJobStatsParams): Promise<JobStats> {
  const { db } = params;
  const now = params.now.toISOString();
  const unclaimed = sql`(locked_until is null or locked_until < ${now})`;
  const dueNow = sql`status = 'pending' and run_at <= ${now} and ${unclaimed}`;
  const { rows } = await sql<QueueRow>`
    select queue,
      sum(case when ${dueNow} then 1 else 0 end) as due,
      sum(case when status = 'pending' and run_at > ${now} and ${unclaimed} then 1 else 0 end) as scheduled,
      sum(case when status = 'pending' and locked_until >= ${now} then 1 else 0 end) as running,
      sum(case when status = 'failed' then 1 else 0 end) as failed,
      sum(case when status = 'done' then 1 else 0 end) as done,
      min(case when ${dueNow} then run_at end) as oldest_due_at
    from jobs
    group by queue
    order by queue`.execute(db);
  const hosts = await db
    .selectFrom("host_health")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("backoff_until", ">", now)
    .executeTakeFirst();
  return {
    queues: rows.map((row) => ({
      queue: row.queue,
      due: toCount(row.due),
      scheduled: toCount(row.scheduled),
      running: toCount(row.running),
      failed: toCount(row.failed),
      done: toCount(row.done),
      oldestDueAt: row.oldest_due_at,
    })),
    backedOffHosts: toCount(hosts?.n as number | string | undefined),
  };
}
