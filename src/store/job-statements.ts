/**
 * The statements the job queue runs for every job (queue, claim, record the
 * outcome), written as `sql` templates: they cost one short compile each
 * instead of a query builder's, and each reads and writes only the columns
 * it needs.
 */
import { sql, type RawBuilder } from "kysely";
import type { JobRow, Queryable, SqlDialectName } from "./schema.ts";
import { limitLiteral } from "./sql-values.ts";

/** A job as queued: every column a new row sets. */
export interface JobInsertRow {
  readonly id: string;
  readonly queue: string;
  readonly payload: string;
  readonly runAt: string;
  readonly createdAt: string;
  readonly dedupeKey: string | null;
  readonly groupKey: string | null;
}

/** The columns a claim hands back: what a handler may read. */
export type ClaimedJobRow = Pick<
  JobRow,
  "id" | "queue" | "payload" | "attempts" | "run_at" | "created_at" | "last_error" | "dedupe_key" | "group_key"
>;

/**
 * Rows per INSERT and ids per UPDATE: a fan-out queues thousands of
 * deliveries at once, and statements of a few hundred rows keep that to a
 * handful of round trips while staying under every backend's bound-parameter
 * limit (7 per inserted row).
 */
export const STATEMENT_CHUNK = 250;

/**
 * Queues rows (at most {@link STATEMENT_CHUNK}) and returns the ids of those
 * queued. No conflict target: the only unique column a new job can collide
 * on is dedupe_key, and a collision means "already queued" (also with an
 * earlier row of the same statement).
 */
export async function insertJobs(db: Queryable, rows: readonly JobInsertRow[]): Promise<string[]> {
  const values = rows.map(
    (row) =>
      sql`(${row.id}, ${row.queue}, ${row.payload}, 'pending', 0, ${row.runAt}, ${row.createdAt}, ${row.dedupeKey}, ${row.groupKey})`,
  );
  const { rows: inserted } = await sql<{ id: string }>`
    insert into jobs (id, queue, payload, status, attempts, run_at, created_at, dedupe_key, group_key)
    values ${sql.join(values)}
    on conflict do nothing
    returning id`.execute(db);
  return inserted.map((row) => row.id);
}

/** Parameters of {@link claimJobs}. */
export interface ClaimStatementParameters {
  readonly dialect: SqlDialectName;
  readonly queues: readonly string[];
  readonly limit: number;
  readonly workerId: string;
  /** The claim's instant, ISO. */
  readonly at: string;
  readonly lockedUntil: string;
}

/**
 * Leases the first due jobs in claim order. The literal `'pending'` and the
 * order by run_at, created_at, id match the partial index `jobs_claim`, which
 * the planner then walks from its start, stopping after `limit` rows; its
 * `queue` and `locked_until` columns let SQLite pass over running jobs and
 * other queues' jobs in the index alone. SQLite, which keeps no statistics
 * here, is held to that index: left to itself it prefers any index that
 * starts with `status` and sorts every pending job on each claim.
 *
 * PostgreSQL runs claims side by side, each skipping the rows another has
 * locked; SQLite runs one writer at a time, so there the plain statement is
 * atomic.
 */
export async function claimJobs(db: Queryable, params: ClaimStatementParameters): Promise<ClaimedJobRow[]> {
  const { at } = params;
  const postgres = params.dialect === "postgres";
  const source: RawBuilder<unknown> = postgres ? sql`jobs` : sql`jobs indexed by jobs_claim`;
  const lock: RawBuilder<unknown> = postgres ? sql`for update skip locked` : sql``;
  const { rows } = await sql<ClaimedJobRow>`
    update jobs set locked_by = ${params.workerId}, locked_until = ${params.lockedUntil}
    where id in (
      select id from ${source}
      where status = 'pending' and run_at <= ${at}
        and queue in (${sql.join([...params.queues])})
        and (locked_until is null or locked_until < ${at})
      order by run_at, created_at, id
      limit ${limitLiteral(params.limit)}
      ${lock})
    returning id, queue, payload, attempts, run_at, created_at, last_error, dedupe_key, group_key`.execute(db);
  return rows;
}

/** Marks jobs (at most {@link STATEMENT_CHUNK}) done and drops their leases. */
export async function completeJobs(db: Queryable, ids: readonly string[], finishedAt: string): Promise<void> {
  await sql`
    update jobs set status = 'done', finished_at = ${finishedAt}, locked_by = null, locked_until = null
    where id in (${sql.join([...ids])})`.execute(db);
}

/** Schedules another attempt of a job and drops its lease. */
export async function retryJob(db: Queryable, id: string, params: { runAt: string; error: string }): Promise<void> {
  await sql`
    update jobs set attempts = attempts + 1, run_at = ${params.runAt}, last_error = ${params.error},
      locked_by = null, locked_until = null
    where id = ${id}`.execute(db);
}

/** Gives up on a job and drops its lease. */
export async function failJob(db: Queryable, id: string, params: { error: string; finishedAt: string }): Promise<void> {
  await sql`
    update jobs set status = 'failed', attempts = attempts + 1, last_error = ${params.error},
      finished_at = ${params.finishedAt}, locked_by = null, locked_until = null
    where id = ${id}`.execute(db);
}
