/**
 * Group commit for jobs queued outside a transaction. Every inbox POST queues
 * one job and may answer only once that job is committed; committing each on
 * its own costs a commit per request. Calls that arrive while one batch is
 * being written (or within the same turn of the event loop) are written
 * together: one multi-row INSERT, in one transaction when there are more rows
 * than one statement takes. Each caller still learns how many of its own jobs
 * were queued, and every caller of a batch that fails gets its error.
 *
 * A batch does not wait for the end of the turn once it holds
 * {@link DEFAULT_FLUSH_ROWS} rows. A busy server reads POSTs in waves (every
 * connection that sent one while the last turn ran), and a wave of 64 written
 * at the end of its turn answered none of its senders until the last was
 * checked; written in slices, the first answers go out while the rest of the
 * wave is still being checked, and the senders send again meanwhile.
 */
import type { Queryable } from "./schema.ts";
import { insertJobs, STATEMENT_CHUNK, type JobInsertRow } from "./job-statements.ts";

/** Queues the rows of one call, together with those of other calls. */
export type GroupEnqueue = (rows: readonly JobInsertRow[]) => Promise<number>;

interface WaitingCall {
  readonly rows: readonly JobInsertRow[];
  resolve(queued: number): void;
  reject(error: unknown): void;
}

/** Writes all rows, committed together; returns the ids of the rows queued. */
async function insertAll(db: Queryable, rows: readonly JobInsertRow[]): Promise<Set<string>> {
  const write = async (target: Queryable) => {
    const queued = new Set<string>();
    for (let start = 0; start < rows.length; start += STATEMENT_CHUNK) {
      for (const id of await insertJobs(target, rows.slice(start, start + STATEMENT_CHUNK))) queued.add(id);
    }
    return queued;
  };
  // One statement commits by itself; several must commit together, so that each call is queued whole.
  return rows.length <= STATEMENT_CHUNK ? write(db) : db.transaction().execute(write);
}

/**
 * Rows after which a batch is written without waiting for the end of the
 * turn. Slices of 16 answered the bench's 64 connections about a sixth
 * faster than whole waves, for a few more commits (docs/performance.md).
 */
export const DEFAULT_FLUSH_ROWS = 16;

/** Options of {@link createEnqueueGroup}. */
export interface EnqueueGroupOptions {
  /** Rows after which a batch is written at once; {@link DEFAULT_FLUSH_ROWS} when absent. */
  readonly flushRows?: number;
}

/** A group-committing enqueue over the database itself (not a transaction). */
export function createEnqueueGroup(db: Queryable, options: EnqueueGroupOptions = {}): GroupEnqueue {
  const flushRows = options.flushRows ?? DEFAULT_FLUSH_ROWS;
  let waiting: WaitingCall[] = [];
  let waitingRows = 0;
  let writing = false;
  let scheduled = false;

  async function writeWaiting(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      waitingRows = 0;
      try {
        const queued = await insertAll(db, batch.flatMap((call) => call.rows));
        for (const call of batch) call.resolve(call.rows.filter((row) => queued.has(row.id)).length);
      } catch (error) {
        for (const call of batch) call.reject(error);
      }
    }
    writing = false;
  }

  function write(): void {
    if (writing || waiting.length === 0) return;
    writing = true;
    void writeWaiting();
  }

  return (rows) =>
    new Promise<number>((resolve, reject) => {
      waiting.push({ rows, resolve, reject });
      waitingRows += rows.length;
      // Calls made while a batch is being written make up the next one.
      if (writing) return;
      if (waitingRows >= flushRows) return write();
      if (scheduled) return;
      scheduled = true;
      // Otherwise the calls of requests handled in this turn of the event loop join one batch.
      setImmediate(() => {
        scheduled = false;
        write();
      });
    });
}
