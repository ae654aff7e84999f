/**
 * The job worker: claims due jobs from the store's queue, runs them with
 * bounded concurrency and records each outcome. Several workers (threads,
 * processes, machines) can share one store; the store's claim lease keeps
 * them from running the same job at once. Claims take several jobs at a time
 * and outcomes are written in batches, so that the queue costs a few
 * statements per batch of jobs rather than a few per job.
 *
 * A claimed batch is started a few jobs per turn of the event loop. SQLite
 * answers synchronously, so jobs started together run to their end in one
 * stretch of promise callbacks: a batch of 32 inbox jobs held the event loop
 * for about 13 ms, and every HTTP request waiting on a socket waited that long.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { JobRecord } from "../../store/records.ts";
import type { JobSettlement } from "../../store/store.ts";
import type { FederationContext } from "../context.ts";
import { crashRetryAt } from "./crash-backoff.ts";
import { createSettlementBuffer } from "./settlement-buffer.ts";

/** What a handler decided about a job. */
export type JobOutcome =
  | { kind: "done" }
  | { kind: "retry"; at: Date; error: string }
  | { kind: "fail"; error: string };

/** Runs one job of a queue. Throwing is allowed: the worker retries the job later. */
export type JobHandler = (ctx: FederationContext, job: JobRecord) => Promise<JobOutcome>;

/**
 * Worker settings a deployment may carry in the federation config (the CLI
 * sets `jobLeaseMs` from OUTPOST_JOB_LEASE_MS); an explicit `leaseMs` wins.
 */
export interface WorkerConfig {
  /** How long a claim holds; see {@link CreateWorkerParameters.leaseMs}. */
  readonly jobLeaseMs?: number;
}

/** Parameters of {@link createWorker}. */
export interface CreateWorkerParameters {
  /** A handler per queue name; only these queues are claimed. */
  readonly handlers: Readonly<Record<string, JobHandler>>;
  /** Jobs run at once; defaults to the configured delivery concurrency. */
  readonly concurrency?: number;
  /** How long a claim holds; must exceed the longest a job may run. */
  readonly leaseMs?: number;
  /** How often an idle worker looks for due jobs. */
  readonly pollIntervalMs?: number;
  readonly workerId?: string;
  /** How long `stop()` waits for running jobs before releasing them. */
  readonly stopTimeoutMs?: number;
  /**
   * Told of each job's outcome once it is written to the store, so that what
   * it reports matches what the store says (a handler that threw reads as the
   * retry or failure it was recorded as). An outcome that could not be
   * written is not reported: its job runs again.
   */
  readonly onOutcome?: (job: JobRecord, outcome: JobOutcome) => void;
  /** Told of every non-empty claim, before its jobs start. */
  readonly onClaimed?: (jobs: readonly JobRecord[]) => void;
}

/** A running (or runnable) worker. */
export interface JobWorker {
  /** Starts polling in the background; its timer keeps the process alive until `stop()`. */
  start(): void;
  /** Stops polling, waits for running jobs (up to a limit), records their outcomes, then releases the claims it still holds. */
  stop(): Promise<void>;
  /** A job was queued: look for work now instead of at the next poll. */
  notify(): void;
  /**
   * Processes jobs until none is due and none is running, including jobs
   * queued by the jobs it ran; every outcome is recorded when it returns.
   */
  runUntilIdle(): Promise<void>;
  /**
   * Leaves these queues to another worker (see inbox-offload.ts) until
   * {@link JobWorker.resumeQueues}: claims skip them, and their jobs claimed
   * already run to their end here.
   */
  yieldQueues(queues: readonly string[]): void;
  /** Claims every queue again. */
  resumeQueues(): void;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;
const MIN_LEASE_MS = 60_000;
const DEFAULT_STOP_TIMEOUT_MS = 30_000;
/** A busy worker claims again once this share of its slots is free: one claim per several jobs, not per job. */
const REFILL_SHARE = 1 / 4;
/** How long a busy worker with fewer free slots than that waits before filling them anyway. */
const TOP_UP_DELAY_MS = 20;
/**
 * Jobs started per turn of the event loop: a few milliseconds of inbox work,
 * and still enough per turn for a transaction group to gather several jobs'
 * writes into one commit (fewer per turn made commits smaller and the same
 * ingest cost a fifth more CPU).
 */
const JOBS_STARTED_PER_TURN = 8;

/** Creates a worker over the context's job queue. */
export function createWorker(ctx: FederationContext, params: CreateWorkerParameters): JobWorker {
  const handlers = params.handlers;
  const allQueues = Object.keys(handlers);
  let queues = allQueues;
  const concurrency = Math.max(1, Math.floor(params.concurrency ?? ctx.config.deliveryConcurrency));
  const refillAt = Math.max(1, Math.ceil(concurrency * REFILL_SHARE));
  // A lease shorter than a job's own network timeouts would let a second worker take a job still running.
  const leaseMs =
    params.leaseMs ??
    (ctx.config as FederationContext["config"] & WorkerConfig).jobLeaseMs ??
    Math.max(MIN_LEASE_MS, 4 * ctx.config.deliveryTimeoutMs, 4 * ctx.config.fetchTimeoutMs);
  const pollIntervalMs = params.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const stopTimeoutMs = params.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const workerId = params.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const logger = ctx.logger.child({ component: "worker", workerId });
  const onOutcome = params.onOutcome;
  const onClaimed = params.onClaimed;
  /** Outcomes to report once written, by job id. */
  const unreported = new Map<string, { readonly job: JobRecord; readonly outcome: JobOutcome }>();
  /** Tells `onOutcome` of outcomes now written. */
  const reportWritten = (batch: readonly JobSettlement[]): void => {
    if (onOutcome === undefined) return;
    for (const { id } of batch) {
      const report = unreported.get(id);
      if (report === undefined) continue;
      unreported.delete(id);
      onOutcome(report.job, report.outcome);
    }
  };
  const outcomesLost = (error: unknown, batch: readonly JobSettlement[]): void => {
    // The claims lapse when their leases end, so the jobs are picked up again; nothing is lost.
    logger.error({ err: error, jobs: batch.length }, "could not record job outcomes");
    for (const { id } of batch) unreported.delete(id);
  };
  const settlements = createSettlementBuffer({
    write: async (batch) => {
      await ctx.store.jobs.settle(batch, ctx.now());
      reportWritten(batch);
    },
    onError: outcomesLost,
  });

  const running = new Set<Promise<void>>();
  /** Claimed jobs not started yet; they hold their slots. */
  const toStart: JobRecord[] = [];
  let startImmediate: NodeJS.Immediate | undefined;
  let started = false;
  let stopping = false;
  /** The last claim found fewer due jobs than it asked for, and nothing was queued since. */
  let drained = false;
  /** notify() was called since the claim under way began. */
  let notified = false;
  let claiming: Promise<void> | undefined;
  let claimImmediate: NodeJS.Immediate | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let topUpTimer: NodeJS.Timeout | undefined;

  async function claim(limit: number): Promise<JobRecord[]> {
    if (queues.length === 0 || limit <= 0) return [];
    const jobs = ctx.store.jobs;
    const settleAndClaim = jobs.settleAndClaim;
    // Where the store can, the outcomes waiting to be written go with the claim: one commit instead of two.
    const settle = settleAndClaim === undefined ? [] : settlements.take();
    if (settleAndClaim === undefined || settle.length === 0) return jobs.claim({ queues, limit, workerId, leaseMs, now: ctx.now() });
    let claimed: JobRecord[];
    try {
      claimed = await settleAndClaim.call(jobs, settle, { queues, limit, workerId, leaseMs, now: ctx.now() });
    } catch (error) {
      // Nothing of it was written. The outcomes are lost as a failed write of outcomes loses them; the claim is tried alone.
      outcomesLost(error, settle);
      return jobs.claim({ queues, limit, workerId, leaseMs, now: ctx.now() });
    }
    reportWritten(settle);
    return claimed;
  }

  /** Starts the next few claimed jobs, and the rest on later turns of the event loop. */
  function startSome(): void {
    startImmediate = undefined;
    for (let count = 0; count < JOBS_STARTED_PER_TURN && toStart.length > 0; count++) launch(toStart.shift()!);
    if (toStart.length > 0) startImmediate = setImmediate(startSome);
  }

  /** Slots neither running a job nor holding one about to start. */
  function freeSlots(): number {
    return concurrency - running.size - toStart.length;
  }

  function launch(job: JobRecord): void {
    const task: Promise<void> = runJob(job).finally(() => {
      running.delete(task);
      armPoll();
      wantJobs();
    });
    running.add(task);
  }

  async function runJob(job: JobRecord): Promise<void> {
    const handler = handlers[job.queue];
    let outcome: JobOutcome;
    if (handler === undefined) {
      outcome = { kind: "fail", error: `No handler for queue ${JSON.stringify(job.queue)}` };
    } else {
      try {
        outcome = await handler(ctx, job);
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        logger.error({ jobId: job.id, queue: job.queue, err: error }, "job handler threw");
        const at = crashRetryAt({ attempts: job.attempts, now: ctx.now() });
        outcome = at === null ? { kind: "fail", error: `handler threw: ${message}` } : { kind: "retry", at, error: `handler threw: ${message}` };
      }
    }
    if (onOutcome !== undefined) unreported.set(job.id, { job, outcome });
    switch (outcome.kind) {
      case "done":
        settlements.add({ id: job.id, kind: "done" });
        return;
      case "retry":
        settlements.add({ id: job.id, kind: "retry", runAt: outcome.at.toISOString(), error: outcome.error });
        return;
      case "fail":
        logger.warn({ jobId: job.id, queue: job.queue, error: outcome.error }, "job failed");
        settlements.add({ id: job.id, kind: "fail", error: outcome.error });
        return;
    }
  }

  /**
   * Claims when it is worth a statement: at once when idle or when a good
   * share of the slots is free, a little later when only a few are (the jobs
   * finishing meanwhile join the same claim), never when the queue was found
   * empty and nothing was queued since (the poll timer looks again).
   */
  function wantJobs(): void {
    if (!started || stopping || drained) return;
    const free = freeSlots();
    if (free <= 0) return;
    if (free >= refillAt || running.size + toStart.length === 0) {
      scheduleClaim();
    } else {
      topUpTimer ??= setTimeout(() => {
        topUpTimer = undefined;
        if (!drained) scheduleClaim();
      }, TOP_UP_DELAY_MS);
    }
  }

  /** One claim per turn of the event loop at most, however many reasons there were for it. */
  function scheduleClaim(): void {
    if (claiming !== undefined || claimImmediate !== undefined) return;
    claimImmediate = setImmediate(() => {
      claimImmediate = undefined;
      runClaim();
    });
  }

  function runClaim(): void {
    if (!started || stopping || claiming !== undefined) return;
    if (topUpTimer !== undefined) clearTimeout(topUpTimer);
    topUpTimer = undefined;
    notified = false;
    claiming = (async () => {
      const free = freeSlots();
      if (free <= 0) return;
      try {
        const jobs = await claim(free);
        // Claimed while stopping: leave them to stop(), which releases every claim after this one ends.
        if (stopping) return;
        if (jobs.length > 0) onClaimed?.(jobs);
        toStart.push(...jobs);
        if (startImmediate === undefined) startSome();
        drained = jobs.length < free && !notified;
      } catch (error) {
        // The poll timer tries again; claiming on every finished job would only fail as often.
        drained = true;
        logger.error({ err: error }, "could not claim jobs");
      }
    })().finally(() => {
      claiming = undefined;
      armPoll();
      wantJobs();
    });
  }

  /** While slots are free, looks for due jobs now and then: retries fall due, other processes queue jobs. */
  function armPoll(): void {
    if (!started || stopping || pollTimer !== undefined || freeSlots() <= 0) return;
    pollTimer = setTimeout(() => {
      pollTimer = undefined;
      drained = false;
      if (freeSlots() > 0) scheduleClaim();
      armPoll();
    }, pollIntervalMs);
  }

  function clearTimers(): void {
    if (claimImmediate !== undefined) clearImmediate(claimImmediate);
    if (startImmediate !== undefined) clearImmediate(startImmediate);
    startImmediate = undefined;
    if (pollTimer !== undefined) clearTimeout(pollTimer);
    if (topUpTimer !== undefined) clearTimeout(topUpTimer);
    claimImmediate = undefined;
    pollTimer = undefined;
    topUpTimer = undefined;
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopping = false;
      drained = false;
      wantJobs();
      armPoll();
    },

    async stop() {
      if (!started) return;
      stopping = true;
      clearTimers();
      // A claim in flight must land before the release, or its jobs would stay leased to a stopped worker.
      if (claiming !== undefined) await claiming;
      // Claimed jobs not started yet are released below with the rest, unrun.
      toStart.length = 0;
      if (running.size > 0) {
        let cap: NodeJS.Timeout | undefined;
        const capped = new Promise<void>((resolve) => {
          cap = setTimeout(resolve, stopTimeoutMs);
        });
        await Promise.race([Promise.allSettled([...running]), capped]);
        clearTimeout(cap);
      }
      // Outcomes first: a job released before its outcome is written could be claimed and run again.
      await settlements.flush();
      try {
        const released = await ctx.store.jobs.release(workerId);
        if (released > 0) logger.info({ released }, "released claimed jobs");
      } catch (error) {
        logger.error({ err: error }, "could not release claimed jobs");
      }
      clearTimers();
      started = false;
      stopping = false;
    },

    notify() {
      if (!started || stopping) return;
      notified = true;
      drained = false;
      wantJobs();
    },

    yieldQueues(yielded) {
      queues = allQueues.filter((queue) => !yielded.includes(queue));
    },

    resumeQueues() {
      queues = allQueues;
      drained = false;
      wantJobs();
    },

    async runUntilIdle() {
      for (;;) {
        const free = concurrency - running.size;
        // Refills as the background loop does: in batches, not one job per job finished.
        if (running.size === 0 || free >= refillAt) {
          for (const job of await claim(free)) launch(job);
        }
        if (running.size > 0) {
          await Promise.race(running);
        } else if (settlements.size > 0) {
          // A retry that is due already becomes claimable only once written.
          await settlements.flush();
        } else {
          return;
        }
      }
    },
  };
}
