/**
 * The durable job queue in `jobs.json`, in a file of its own: jobs change far
 * more often than anything else, and a change rewrites only this file.
 */
import { randomUUID } from "node:crypto";
import type { JobRecord, JobStatus } from "../records.ts";
import type { ClaimJobsParameters, JobRepository, JobSettlement } from "../store.ts";
import type { Draft } from "./draft.ts";
import { handOut, jsonCopy, type JsonContext } from "./json-context.ts";
import type { JobRow } from "./tables.ts";

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    queue: row.queue,
    payload: handOut(row.payload),
    status: row.status,
    attempts: row.attempts,
    runAt: row.runAt,
    createdAt: row.createdAt,
    lastError: row.lastError,
    dedupeKey: row.dedupeKey,
    groupKey: row.groupKey,
  };
}

/** What decides whether a job may be claimed. */
export interface ClaimableParameters {
  readonly job: JobRow;
  readonly queues: ReadonlySet<string>;
  /** The claim's instant, ISO. */
  readonly at: string;
}

/**
 * Whether a job may be claimed now: pending, of an asked queue, due, and not
 * under a live lease. A lease that has lapsed is as good as none, which is
 * how the job of a worker that died comes back.
 */
export function isClaimable(params: ClaimableParameters): boolean {
  const { job, queues, at } = params;
  return (
    job.status === "pending" &&
    queues.has(job.queue) &&
    job.runAt <= at &&
    (job.lockedUntil === null || job.lockedUntil < at)
  );
}

/** Claim order: due first, then queued first; seq breaks ties in the order jobs were queued. */
export function compareForClaim(a: JobRow, b: JobRow): number {
  if (a.runAt !== b.runAt) return a.runAt < b.runAt ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.seq - b.seq;
}

function update(draft: Draft, id: string, change: (row: JobRow) => Partial<JobRow>): void {
  const row = draft.rows("jobs").get(id);
  if (row !== undefined) draft.put("jobs", { ...row, ...change(row) });
}

/** Leases the due jobs a claim asks for, oldest first. */
function claimIn(draft: Draft, params: ClaimJobsParameters): JobRecord[] {
  const { queues, limit, workerId, leaseMs, now } = params;
  if (queues.length === 0 || limit < 1) return [];
  const at = now.toISOString();
  const lockedUntil = new Date(now.getTime() + leaseMs).toISOString();
  const asked = new Set(queues);
  const due = [...draft.rows("jobs").values()].filter((job) => isClaimable({ job, queues: asked, at }));
  const chosen = due.sort(compareForClaim).slice(0, Math.floor(limit));
  return chosen.map((job) => {
    const leased: JobRow = { ...job, lockedBy: workerId, lockedUntil };
    draft.put("jobs", leased);
    return toRecord(leased);
  });
}

/** Records how jobs ended, each as `complete`, `retry` or `fail` would. */
function writeSettlements(draft: Draft, settlements: readonly JobSettlement[], now: Date): void {
  const finishedAt = now.toISOString();
  for (const settlement of settlements) {
    update(draft, settlement.id, (row) => {
      const ended = { lockedBy: null, lockedUntil: null };
      if (settlement.kind === "done") return { ...ended, status: "done", finishedAt };
      if (settlement.kind === "retry") {
        return { ...ended, attempts: row.attempts + 1, runAt: settlement.runAt, lastError: settlement.error };
      }
      return { ...ended, status: "failed", attempts: row.attempts + 1, lastError: settlement.error, finishedAt };
    });
  }
}

function statusCounts(rows: Iterable<JobRow>): { pending: number; done: number; failed: number } {
  const counts = { pending: 0, done: 0, failed: 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}

/**
 * The job repository. A claimed job stays `pending` and carries a lease
 * (`lockedBy`, `lockedUntil`); a dedupe key is unique across every status, so
 * a finished job still keeps its key from being queued again.
 */
export function createJobRepository(ctx: JsonContext): JobRepository {
  const jobs = () => ctx.view().rows("jobs");

  return {
    async enqueue(newJobs) {
      if (newJobs.length === 0) return 0;
      const now = new Date().toISOString();
      const prepared = newJobs.map((job) => ({
        queue: job.queue,
        payload: jsonCopy(job.payload),
        runAt: job.runAt ?? now,
        dedupeKey: job.dedupeKey ?? null,
        groupKey: job.groupKey ?? null,
      }));
      // One change: a fan-out is queued whole or not at all.
      return ctx.write((draft) => {
        const taken = new Set<string>();
        for (const row of draft.rows("jobs").values()) if (row.dedupeKey !== null) taken.add(row.dedupeKey);
        let queued = 0;
        for (const job of prepared) {
          if (job.dedupeKey !== null) {
            if (taken.has(job.dedupeKey)) continue;
            taken.add(job.dedupeKey);
          }
          draft.put("jobs", {
            ...job,
            seq: draft.takeSeq("jobs"),
            id: randomUUID(),
            status: "pending",
            attempts: 0,
            createdAt: now,
            lastError: null,
            finishedAt: null,
            lockedBy: null,
            lockedUntil: null,
          });
          queued++;
        }
        return queued;
      });
    },

    async claim(params) {
      if (params.queues.length === 0 || params.limit < 1) return [];
      // Chosen and leased in one change: concurrent claims run one after the other on the latest state.
      return ctx.write((draft) => claimIn(draft, params));
    },

    async settleAndClaim(settlements, params) {
      return ctx.write((draft) => {
        writeSettlements(draft, settlements, params.now);
        return claimIn(draft, params);
      });
    },

    complete(id, now) {
      return ctx.write((draft) =>
        update(draft, id, () => ({ status: "done", finishedAt: now.toISOString(), lockedBy: null, lockedUntil: null })),
      );
    },

    retry(id, { runAt, error }) {
      return ctx.write((draft) =>
        update(draft, id, (row) => ({ attempts: row.attempts + 1, runAt, lastError: error, lockedBy: null, lockedUntil: null })),
      );
    },

    fail(id, { error }) {
      const finishedAt = new Date().toISOString();
      return ctx.write((draft) =>
        update(draft, id, (row) => ({
          status: "failed",
          attempts: row.attempts + 1,
          lastError: error,
          finishedAt,
          lockedBy: null,
          lockedUntil: null,
        })),
      );
    },

    settle(settlements, now) {
      // One change: the outcomes of a batch are recorded together or not at all.
      return ctx.write((draft) => writeSettlements(draft, settlements, now));
    },

    release(workerId) {
      return ctx.write((draft) => {
        const held = [...draft.rows("jobs").values()].filter((row) => row.lockedBy === workerId);
        for (const row of held) draft.put("jobs", { ...row, lockedBy: null, lockedUntil: null });
        return held.length;
      });
    },

    async get(id) {
      const row = jobs().get(id);
      return row === undefined ? null : toRecord(row);
    },

    async countByGroup(groupKey) {
      return statusCounts([...jobs().values()].filter((row) => row.groupKey === groupKey));
    },

    async counts() {
      return statusCounts(jobs().values());
    },

    purge({ olderThan, includeFailed }) {
      const statuses = new Set<JobStatus>(includeFailed === true ? ["done", "failed"] : ["done"]);
      return ctx.write((draft) => {
        const doomed = [...draft.rows("jobs").values()].filter(
          (row) => statuses.has(row.status) && row.finishedAt !== null && row.finishedAt < olderThan,
        );
        for (const row of doomed) draft.delete("jobs", row.id);
        return doomed.length;
      });
    },
  };
}
