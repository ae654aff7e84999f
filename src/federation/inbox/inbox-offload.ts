/**
 * Inbox processing on a thread of its own while activities pour in.
 *
 * One event loop both answers inbox POSTs and processes what they queued;
 * under a burst it is the limit, while the machine's other cores sit idle.
 * Once the process's worker has claimed many inbox jobs within a second,
 * a thread is started (inbox-thread.ts) with a connection of its own to the
 * same database; when it is ready, the process's worker leaves the inbox
 * queue to it and goes on with deliveries and the rest. The thread stops
 * after some seconds without inbox jobs and the worker takes the queue back,
 * so an idle server does not carry the thread's memory. On SQLite both
 * connections take the store's thread write lock before writing (see
 * thread-write-lock.ts), so neither thread waits for the other inside SQLite.
 *
 * The thread runs only Outpost's own processing: the composition root starts
 * it only without inbox plugins or other functions of the host application
 * that cannot cross to a thread. A thread that fails is not started again;
 * its claimed jobs are claimed again once their leases end.
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { JobRecord } from "../../store/records.ts";
import type { JobWorker } from "../queue/worker.ts";
import { INBOX_QUEUE } from "./inbox-job.ts";

/** What the thread posts to the process. */
export type InboxThreadMessage =
  | { readonly kind: "ready" }
  /** Jobs of other queues were queued (deliveries of Accepts, say): the process's worker runs them. */
  | { readonly kind: "queued"; readonly queues: readonly string[] }
  /** One line of the thread's log, as pino wrote it. */
  | { readonly kind: "log"; readonly line: string }
  /** The thread found no inbox job for its idle time and is stopping. */
  | { readonly kind: "idle" };

/** What the process posts to the thread. */
export type InboxThreadCommand = { readonly kind: "jobs" } | { readonly kind: "stop" };

/** How eager the offload is. */
export interface InboxOffloadSettings {
  /** Inbox jobs claimed within one second after which the thread starts; default 256. */
  readonly startAfterJobs?: number;
  /** How long the thread runs without inbox jobs before it stops; default 5 s. */
  readonly idleMs?: number;
}

/** Parameters of {@link createInboxOffload}. */
export interface InboxOffloadParameters<Data> {
  readonly settings?: InboxOffloadSettings;
  /** The thread's entry point and what it gets as workerData (idleMs is added). */
  readonly threadUrl: URL;
  readonly threadData: Data;
  /** The process's worker, which leaves the inbox queue to the thread while it runs. */
  readonly worker: JobWorker;
  readonly logger: Logger;
  /** Whether processing may move now (no inbox plugins registered, say). */
  readonly allowed: () => boolean;
  /** Called when a thread ends, however it ended (to give up its turn at the write lock). */
  readonly onThreadExit: () => void;
}

/** The offload of one Outpost. */
export interface InboxOffload {
  /** Counts the inbox jobs of a claim of the process's worker; may start the thread. */
  noteClaimed(jobs: readonly JobRecord[]): void;
  /** Inbox jobs were queued: tells the thread, if it runs. */
  notify(): void;
  /** Whether the thread has taken over the inbox queue. */
  running(): boolean;
  /** Stops the thread (it finishes or releases its jobs) and gives the queue back. */
  stop(): Promise<void>;
}

const DEFAULT_START_AFTER_JOBS = 256;
const DEFAULT_IDLE_MS = 5000;
const WINDOW_MS = 1000;
/** How long stop() waits for the thread to finish its jobs before ending it. */
const STOP_TIMEOUT_MS = 35_000;

/** Creates the offload; nothing starts until a burst of inbox jobs. */
export function createInboxOffload<Data extends object>(params: InboxOffloadParameters<Data>): InboxOffload {
  const startAfterJobs = Math.max(1, params.settings?.startAfterJobs ?? DEFAULT_START_AFTER_JOBS);
  const idleMs = Math.max(0, params.settings?.idleMs ?? DEFAULT_IDLE_MS);
  const { worker, logger } = params;
  let thread: Worker | undefined;
  let ready = false;
  let broken = false;
  let stopped = false;
  let windowStart = 0;
  let windowJobs = 0;
  let notifyQueued = false;
  let exited: Promise<void> = Promise.resolve();

  function post(command: InboxThreadCommand): void {
    thread?.postMessage(command);
  }

  function start(): void {
    let started: Worker;
    try {
      started = new Worker(params.threadUrl, { workerData: { ...params.threadData, idleMs } });
    } catch (error) {
      broken = true;
      logger.error({ component: "inbox", err: error }, "could not start the inbox thread; processing stays here");
      return;
    }
    thread = started;
    ready = false;
    let failed = false;
    started.on("message", (message: InboxThreadMessage) => {
      switch (message.kind) {
        case "ready":
          ready = true;
          worker.yieldQueues([INBOX_QUEUE]);
          logger.info({ component: "inbox" }, "inbox processing moved to a thread of its own");
          return;
        case "queued":
          worker.notify();
          return;
        case "log":
          forwardLog(logger, message.line);
          return;
        case "idle":
          giveBack();
          return;
      }
    });
    started.on("error", (error) => {
      failed = true;
      broken = true;
      logger.error({ component: "inbox", err: error }, "the inbox thread failed; processing stays here");
    });
    exited = new Promise((resolve) => {
      started.once("exit", () => {
        if (thread === started) thread = undefined;
        giveBack();
        params.onThreadExit();
        if (!failed) logger.info({ component: "inbox" }, "inbox processing is back on the main thread");
        resolve();
      });
    });
  }

  function giveBack(): void {
    if (!ready) return;
    ready = false;
    if (!stopped) worker.resumeQueues();
  }

  return {
    noteClaimed(jobs) {
      if (thread !== undefined) {
        // An inbox plugin registered while the thread runs is run here: the thread stops.
        if (ready && !params.allowed()) post({ kind: "stop" });
        return;
      }
      if (broken || stopped || !params.allowed()) return;
      let inbox = 0;
      for (const job of jobs) if (job.queue === INBOX_QUEUE) inbox++;
      if (inbox === 0) return;
      const now = performance.now();
      if (now - windowStart > WINDOW_MS) {
        windowStart = now;
        windowJobs = 0;
      }
      windowJobs += inbox;
      if (windowJobs >= startAfterJobs) {
        windowJobs = 0;
        start();
      }
    },
    notify() {
      if (!ready || notifyQueued) return;
      // One message per turn of the event loop, however many POSTs queued jobs in it.
      notifyQueued = true;
      setImmediate(() => {
        notifyQueued = false;
        post({ kind: "jobs" });
      });
    },
    running: () => ready,
    async stop() {
      stopped = true;
      const running = thread;
      if (running === undefined) return;
      post({ kind: "stop" });
      const timeout = setTimeout(() => void running.terminate(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/** Writes a line of the thread's log through the process's logger, at its level. */
function forwardLog(logger: Logger, line: string): void {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = record;
  const label = typeof level === "number" ? logger.levels.labels[level] : undefined;
  const method = label === undefined ? "info" : (label as "trace" | "debug" | "info" | "warn" | "error" | "fatal");
  logger[method](fields, typeof msg === "string" ? msg : "");
}
