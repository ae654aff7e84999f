/**
 * The job worker: claims due jobs from the store's queue, runs them with
 * bounded concurrency and records each outcome. Several workers (threads,
 * processes, machines) can share one store; the store's claim lease keeps
 * them from running the same job at once.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { JobRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { crashRetryAt } from "./crash-backoff.ts";

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
}

/** A running (or runnable) worker. */
export interface JobWorker {
  /** Starts polling in the background; its timer keeps the process alive until `stop()`. */
  start(): void;
  /** Stops polling, waits for running jobs (up to a limit), then releases the claims it still holds. */
  stop(): Promise<void>;
  /** A job was queued: look for work now instead of at the next poll. */
  notify(): void;
  /** Processes jobs until none is due and none is running, including jobs queued by the jobs it ran. */
  runUntilIdle(): Promise<void>;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;
const MIN_LEASE_MS = 60_000;
const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/** Creates a worker over the context's job queue. */
export function createWorker(ctx: FederationContext, params: CreateWorkerParameters): JobWorker {
  const handlers = params.handlers;
  const queues = Object.keys(handlers);
  const concurrency = Math.max(1, Math.floor(params.concurrency ?? ctx.config.deliveryConcurrency));
  // A lease shorter than a job's own network timeouts would let a second worker take a job still running.
  const leaseMs =
    params.leaseMs ??
    (ctx.config as FederationContext["config"] & WorkerConfig).jobLeaseMs ??
    Math.max(MIN_LEASE_MS, 4 * ctx.config.deliveryTimeoutMs, 4 * ctx.config.fetchTimeoutMs);
  const pollIntervalMs = params.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const stopTimeoutMs = params.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const workerId = params.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const logger = ctx.logger.child({ component: "worker", workerId });

  const running = new Set<Promise<void>>();
  let started = false;
  let stopping = false;
  let currentPoll: Promise<void> | undefined;
  let pollAgain = false;
  let timer: NodeJS.Timeout | undefined;

  async function claim(limit: number): Promise<JobRecord[]> {
    if (queues.length === 0 || limit <= 0) return [];
    return ctx.store.jobs.claim({ queues, limit, workerId, leaseMs, now: ctx.now() });
  }

  function launch(job: JobRecord): void {
    const task: Promise<void> = runJob(job).finally(() => {
      running.delete(task);
      if (started && !stopping) void poll();
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
    try {
      await record(job, outcome);
    } catch (error) {
      // The claim lapses when its lease ends, so the job is picked up again; nothing is lost.
      logger.error({ jobId: job.id, queue: job.queue, err: error }, "could not record a job outcome");
    }
  }

  async function record(job: JobRecord, outcome: JobOutcome): Promise<void> {
    switch (outcome.kind) {
      case "done":
        await ctx.store.jobs.complete(job.id, ctx.now());
        return;
      case "retry":
        await ctx.store.jobs.retry(job.id, { runAt: outcome.at.toISOString(), error: outcome.error });
        return;
      case "fail":
        logger.warn({ jobId: job.id, queue: job.queue, error: outcome.error }, "job failed");
        await ctx.store.jobs.fail(job.id, { error: outcome.error });
        return;
    }
  }

  function schedule(delayMs: number): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void poll();
    }, delayMs);
  }

  function poll(): Promise<void> {
    if (!started || stopping) return Promise.resolve();
    if (currentPoll !== undefined) {
      pollAgain = true;
      return currentPoll;
    }
    currentPoll = pollLoop().finally(() => {
      currentPoll = undefined;
      // A notify() that arrived as the loop was ending would otherwise wait for the timer.
      if (pollAgain) void poll();
    });
    return currentPoll;
  }

  async function pollLoop(): Promise<void> {
    try {
      do {
        pollAgain = false;
        const free = concurrency - running.size;
        // A finishing job polls again, so a full worker needs no timer.
        if (free <= 0) break;
        const jobs = await claim(free);
        // Claimed while stopping: leave them to stop(), which releases every claim after this poll ends.
        if (stopping) break;
        for (const job of jobs) launch(job);
        if (jobs.length === free) pollAgain = true;
      } while (pollAgain && started && !stopping);
    } catch (error) {
      logger.error({ err: error }, "could not claim jobs");
    }
    if (!started || stopping) return;
    if (running.size < concurrency) schedule(pollIntervalMs);
    else if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopping = false;
      void poll();
    },

    async stop() {
      if (!started) return;
      stopping = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      // A claim in flight must land before the release, or its jobs would stay leased to a stopped worker.
      if (currentPoll !== undefined) await currentPoll;
      if (running.size > 0) {
        let cap: NodeJS.Timeout | undefined;
        const capped = new Promise<void>((resolve) => {
          cap = setTimeout(resolve, stopTimeoutMs);
        });
        await Promise.race([Promise.allSettled([...running]), capped]);
        clearTimeout(cap);
      }
      try {
        const released = await ctx.store.jobs.release(workerId);
        if (released > 0) logger.info({ released }, "released claimed jobs");
      } catch (error) {
        logger.error({ err: error }, "could not release claimed jobs");
      }
      started = false;
      stopping = false;
    },

    notify() {
      if (!started || stopping) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      void poll();
    },

    async runUntilIdle() {
      for (;;) {
        const free = concurrency - running.size;
        if (free > 0) {
          const jobs = await claim(free);
          for (const job of jobs) launch(job);
          if (jobs.length > 0) continue;
        }
        if (running.size === 0) return;
        await Promise.race(running);
      }
    },
  };
}
