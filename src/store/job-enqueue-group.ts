/**
 * Group commit for jobs queued outside a transaction. Every inbox POST queues
 * one job and may answer only once that job is committed; committing each on
 * its own costs a commit per request. Calls that arrive while one batch is
 * being written (or within the same turn of the event loop) are written
 * together: one multi-row INSERT, in one transaction when there are more rows
 * than one statement takes. Each caller still learns how many of its own jobs
 * were queued, and every caller of a batch that fails gets its error.
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

/** A group-committing enqueue over the database itself (not a transaction). */
export function createEnqueueGroup(db: Queryable): GroupEnqueue {
  let waiting: WaitingCall[] = [];
  let writing = false;

  async function writeWaiting(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const queued = await insertAll(db, batch.flatMap((call) => call.rows));
        for (const call of batch) call.resolve(call.rows.filter((row) => queued.has(row.id)).length);
      } catch (error) {
        for (const call of batch) call.reject(error);
      }
    }
    writing = false;
  }

  return (rows) =>
    new Promise<number>((resolve, reject) => {
      waiting.push({ rows, resolve, reject });
      if (writing) return;
      writing = true;
      // The calls of requests handled in this turn of the event loop join the first batch.
      setImmediate(() => void writeWaiting());
    });
}
