/**
 * Signing on every core. An RSA-2048 signature costs most of a millisecond
 * of CPU, and a post to thousands of inboxes needs one per inbox; made on the
 * main thread they would queue behind each other and behind everything else
 * the server does. The pool hands the private-key operation to one thread per
 * core; the main thread only prepares the bytes to sign (a SigningPlan).
 *
 * Threads start on first use, never keep the process alive while idle, and
 * stop after a few seconds without work: each holds tens of megabytes, and
 * starting one again costs a few tens of milliseconds, little next to the
 * burst of deliveries that wakes it. A
 * thread that dies is replaced and its unanswered jobs go to another; should
 * threads keep dying (or not start at all), signatures are made on the
 * calling thread instead, so no delivery waits on a pool that cannot work.
 * Signing is deterministic work on immutable input, so redoing a job
 * elsewhere is always safe.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { SignatureAlgorithm } from "../../crypto/signature-algorithms.ts";
import { answerSignatureJob, type SignatureAnswer, type SignatureJob } from "./signature-job.ts";

/**
 * Heap limits of a signing thread, in megabytes. V8 lets the process flag
 * `--max-semi-space-size` (which `npm start` gives) override the young
 * generation's; that costs nothing here, as a signing thread's young
 * generation never grows far (the peak of a large fan-out was the same with
 * it applied).
 */
const SIGNING_THREAD_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 48 } as const;

/** One signature to make. */
export interface SignatureRequest {
  readonly algorithm: SignatureAlgorithm;
  /** The private key as PEM text; each thread parses a key once and keeps it. */
  readonly privateKeyPem: string;
  /** The bytes to sign (a SigningPlan's `data`). */
  readonly data: Uint8Array;
}

/** Threads that make signatures. */
export interface SigningPool {
  /** The signature over `data`; rejects only when the key cannot sign. */
  sign(request: SignatureRequest): Promise<Uint8Array>;
  /** Stops the threads; later signatures are made on the calling thread. */
  close(): Promise<void>;
  /** How many threads are running now. */
  running(): number;
}

/** Parameters of {@link createSigningPool}. */
export interface CreateSigningPoolParameters {
  /** How many threads at most; default one per core. */
  readonly size?: number;
  /** The thread's entry point; tests substitute one that misbehaves. */
  readonly workerUrl?: URL;
  /** How long a thread with nothing to do lives on; default {@link DEFAULT_IDLE_MS}. */
  readonly idleMs?: number;
}

/** A gap this long without a signature ends the burst that needed the threads. */
export const DEFAULT_IDLE_MS = 5000;

/** How often a job is handed to a thread before the calling thread signs it itself. */
const MAX_THREAD_ATTEMPTS = 2;
/** Threads dying in a row, none having answered, after which the pool stops starting them. */
const MAX_FAILED_STARTS = 3;

interface PendingJob {
  readonly request: SignatureRequest;
  attempts: number;
  readonly resolve: (signature: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  /** Jobs handed to the thread and not answered yet, oldest first. */
  readonly pending: Map<number, PendingJob>;
  /** Jobs for the thread not posted yet: they go together, to wake the thread once. */
  outbox: SignatureJob[];
  answered: boolean;
  /** Set while the thread has nothing to do: it stops when this fires. */
  idleTimer: NodeJS.Timeout | undefined;
  /** Stopped for having been idle, not for having failed. */
  retired: boolean;
}

/**
 * The thread entry point next to this module, with this module's own
 * extension: `.ts` when run from the sources, `.js` from the build.
 */
function defaultWorkerUrl(): URL {
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./signing-worker${extension}`, import.meta.url);
}

/** Creates a pool of up to `size` signing threads, started when first needed. */
export function createSigningPool(params: CreateSigningPoolParameters = {}): SigningPool {
  const size = Math.max(1, params.size ?? availableParallelism());
  const workerUrl = params.workerUrl ?? defaultWorkerUrl();
  const idleMs = Math.max(0, params.idleMs ?? DEFAULT_IDLE_MS);
  const threads: (Thread | null)[] = Array.from({ length: size }, () => null);
  let nextId = 0;
  let failedStarts = 0;
  let closed = false;
  let flushQueued = false;

  const usable = (): boolean => !closed && failedStarts < MAX_FAILED_STARTS;

  const signHere = (job: PendingJob): void => {
    const answer = answerSignatureJob({ id: 0, ...job.request });
    if ("signature" in answer) job.resolve(answer.signature);
    else job.reject(new Error(answer.error));
  };

  const start = (index: number): Thread => {
    // A thread holds parsed keys and a few requests at a time; without limits
    // each would get a heap sized like the main thread's, tens of megabytes apiece.
    const worker = new Worker(workerUrl, { resourceLimits: SIGNING_THREAD_LIMITS });
    // Idle threads must not keep the process alive; a thread is referenced only while it owes answers.
    worker.unref();
    const thread: Thread = { worker, pending: new Map(), outbox: [], answered: false, idleTimer: undefined, retired: false };
    worker.on("message", (answer: SignatureAnswer) => {
      const job = thread.pending.get(answer.id);
      if (job === undefined) return;
      thread.pending.delete(answer.id);
      if (thread.pending.size === 0) {
        worker.unref();
        retireWhenIdle(index, thread);
      }
      thread.answered = true;
      failedStarts = 0;
      if ("signature" in answer) job.resolve(answer.signature);
      else job.reject(new Error(answer.error));
    });
    // An uncaught error ends the thread; "exit" follows and hands its jobs on.
    worker.on("error", () => undefined);
    worker.on("exit", () => {
      clearTimeout(thread.idleTimer);
      if (threads[index] === thread) threads[index] = null;
      if (closed || thread.retired) return;
      if (!thread.answered) failedStarts++;
      // A thread answers in order, so the oldest job it owed is the one it died on: that one is
      // signed here rather than risk it taking down the next thread too; the rest go to other threads.
      const [suspect, ...others] = thread.pending.values();
      thread.pending.clear();
      thread.outbox = [];
      if (suspect !== undefined) signHere(suspect);
      for (const job of others) dispatch(job);
    });
    threads[index] = thread;
    return thread;
  };

  const retireWhenIdle = (index: number, thread: Thread): void => {
    clearTimeout(thread.idleTimer);
    thread.idleTimer = setTimeout(() => {
      thread.idleTimer = undefined;
      if (thread.pending.size > 0 || thread.outbox.length > 0 || threads[index] !== thread) return;
      // Out of the pool first: a signature asked for from here on starts a fresh thread.
      threads[index] = null;
      thread.retired = true;
      void thread.worker.terminate();
    }, idleMs);
    thread.idleTimer.unref();
  };

  const dispatch = (job: PendingJob): void => {
    if (!usable() || job.attempts >= MAX_THREAD_ATTEMPTS) {
      signHere(job);
      return;
    }
    // The least busy thread; a slot without a thread counts as idle and gets one.
    let chosen = 0;
    let load = Number.POSITIVE_INFINITY;
    for (let index = 0; index < size && load > 0; index++) {
      const pending = threads[index]?.pending.size ?? 0;
      if (pending < load) {
        chosen = index;
        load = pending;
      }
    }
    let thread = threads[chosen];
    if (thread === null || thread === undefined) {
      try {
        thread = start(chosen);
      } catch {
        failedStarts++;
        signHere(job);
        return;
      }
    }
    const id = nextId++;
    job.attempts++;
    clearTimeout(thread.idleTimer);
    thread.idleTimer = undefined;
    thread.pending.set(id, job);
    if (thread.pending.size === 1) thread.worker.ref();
    thread.outbox.push({
      id,
      algorithm: job.request.algorithm,
      privateKeyPem: job.request.privateKeyPem,
      // A copy of exactly these bytes: posting a view sends its whole underlying buffer.
      data: new Uint8Array(job.request.data),
    });
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  };

  /**
   * Posts what piled up for each thread as one message, once the event loop
   * has run what this turn of it brought in. Waking a sleeping thread is the
   * costly part of handing it work (hundreds of microseconds on a busy
   * machine), and signatures tend to be asked for together (a claimed batch
   * of deliveries, a burst of inbox requests), so they share one wake-up.
   */
  const flush = (): void => {
    flushQueued = false;
    for (const thread of threads) {
      if (thread === null || thread.outbox.length === 0) continue;
      thread.worker.postMessage(thread.outbox);
      thread.outbox = [];
    }
  };

  return {
    sign(request) {
      return new Promise<Uint8Array>((resolve, reject) => {
        dispatch({ request, attempts: 0, resolve, reject });
      });
    },
    running() {
      return threads.filter((thread) => thread !== null).length;
    },
    async close() {
      if (closed) return;
      closed = true;
      const running = threads.filter((thread): thread is Thread => thread !== null);
      threads.fill(null);
      // Jobs still out are signed here rather than failed: the caller is waiting for them.
      for (const thread of running) {
        for (const job of thread.pending.values()) signHere(job);
        thread.pending.clear();
        thread.outbox = [];
      }
      await Promise.all(running.map((thread) => thread.worker.terminate()));
    },
  };
}

/** A hold on the process-wide signing pool (see {@link acquireSigningPool}). */
export interface SigningPoolLease {
  readonly pool: SigningPool;
  /** Gives the hold back; the last one closes the pool. Calling it again does nothing. */
  release(): Promise<void>;
}

let shared: SigningPool | undefined;
let holders = 0;

/**
 * Holds the process-wide signing pool, creating it when nobody holds it. Every
 * Outpost in a process shares one pool, since there are only so many cores.
 */
export function acquireSigningPool(): SigningPoolLease {
  shared ??= createSigningPool();
  const pool = shared;
  holders++;
  let released = false;
  return {
    pool,
    async release() {
      if (released) return;
      released = true;
      holders--;
      if (holders > 0) return;
      if (shared === pool) shared = undefined;
      await pool.close();
    },
  };
}

/** The process-wide signing pool while anyone holds it; otherwise signatures are made on the calling thread. */
export function currentSigningPool(): SigningPool | undefined {
  return shared;
}
