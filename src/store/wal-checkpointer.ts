/**
 * Checkpoints of SQLite's write-ahead log on a thread of their own.
 *
 * In WAL mode a commit appends pages to the log, and every 1,000 pages the
 * committing connection copies the log into the database file and syncs it:
 * a checkpoint. Run by the store's own connection, that stopped the event
 * loop for 20–30 ms each time, several times a second under load; in inbox
 * ingest those stops were three quarters of all the time spent committing.
 * While writes keep coming, a thread with a connection of its own makes
 * passive checkpoints instead (they take no lock that a reader or writer
 * waits for), and the store's connection checkpoints only once the log
 * reaches a much larger backstop. Copying the log does not shorten it:
 * SQLite starts it afresh when a write begins while all of it is copied.
 * So that this happens before the backstop, the thread checkpoints every
 * few milliseconds once the log is long (wal-checkpoint-thread.ts says why);
 * where the backstop is reached all the same, under writes without pauses,
 * the store's connection copies what is left and syncs the database file,
 * which stops its event loop for tens of milliseconds.
 *
 * The thread starts once a burst of writes makes it worth its cost (a
 * thread of its own takes tens of milliseconds and some megabytes to
 * start) and stops after a few seconds without writes, leaving checkpoints
 * to SQLite's default again. If it cannot start or dies, it is not started
 * again: the store's connection checkpoints as SQLite would by itself.
 */
import type { DatabaseSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import type { WalCheckpointThreadData } from "./wal-checkpoint-thread.ts";

/** SQLite's own checkpoint threshold, in pages of log. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** The threshold while the thread checkpoints: the longest the log grows under writes that leave the thread no pause. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;
/** The log length from which the thread checkpoints every few milliseconds, a fifth short of the backstop. */
export const CATCH_UP_PAGES = 8_000;

/** Parameters of {@link startWalCheckpointer}. */
export interface WalCheckpointerParameters {
  /** The store's connection, whose own checkpoints the thread takes over. */
  readonly database: DatabaseSync;
  /** The database file the thread opens. */
  readonly path: string;
  /** Writes (statements that are not plain reads) within `idleMs` after which the thread starts; default 256. */
  readonly writesBeforeStart?: number;
  /** How often the thread checkpoints; default 100 ms. */
  readonly intervalMs?: number;
  /** Log length, in pages, from which it checkpoints every `catchUpIntervalMs`; default {@link CATCH_UP_PAGES}. */
  readonly catchUpPages?: number;
  /** How often it checkpoints a log that long; default 5 ms. */
  readonly catchUpIntervalMs?: number;
  /** How long without writes before the thread stops; default 5 s. */
  readonly idleMs?: number;
  /** The thread's entry point; tests substitute one that fails. */
  readonly threadUrl?: URL;
}

/** The checkpointer of one connection. */
export interface WalCheckpointer {
  /** Counts one write statement of the store's connection. */
  noteWrite(): void;
  /** Whether the thread is running now. */
  running(): boolean;
  /**
   * Stops the thread, if running, and one still making its last checkpoint
   * after writes stopped; the store's connection checkpoints by itself again.
   * Resolves once no thread has the database open any more, so that the
   * file can then be moved or deleted.
   */
  close(): Promise<void>;
}

const DEFAULT_WRITES_BEFORE_START = 256;
/**
 * Heap limits of the thread, in megabytes: it holds one prepared statement,
 * but loading its module (stripping its types, when run from the sources)
 * needs more than 8. Under the process flag `--max-semi-space-size` the
 * young generation's limit gives way to the flag (V8's precedence), which
 * does not matter for a thread that allocates this little.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 24 } as const;
const DEFAULT_INTERVAL_MS = 100;
const DEFAULT_CATCH_UP_INTERVAL_MS = 5;
const DEFAULT_IDLE_MS = 5000;

/** The thread entry point next to this module, with this module's own extension (`.ts` from the sources, `.js` built). */
function defaultThreadUrl(): URL {
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./wal-checkpoint-thread${extension}`, import.meta.url);
}

/** Takes over the checkpoints of `database` while it is written to (see the module's comment). */
export function startWalCheckpointer(params: WalCheckpointerParameters): WalCheckpointer {
  const { database, path } = params;
  const writesBeforeStart = Math.max(1, params.writesBeforeStart ?? DEFAULT_WRITES_BEFORE_START);
  const intervalMs = Math.max(1, params.intervalMs ?? DEFAULT_INTERVAL_MS);
  const catchUpPages = Math.max(1, params.catchUpPages ?? CATCH_UP_PAGES);
  const catchUpIntervalMs = Math.max(1, params.catchUpIntervalMs ?? DEFAULT_CATCH_UP_INTERVAL_MS);
  const idleMs = Math.max(1, params.idleMs ?? DEFAULT_IDLE_MS);
  const threadUrl = params.threadUrl ?? defaultThreadUrl();
  let worker: Worker | undefined;
  /** Every thread started that has not ended yet, the one in charge and any finishing its last checkpoint. */
  const alive = new Map<Worker, Promise<void>>();
  let idleCheck: NodeJS.Timeout | undefined;
  /** Writes since the thread started, or, while none runs, since `windowStart`. */
  let writes = 0;
  let windowStart = 0;
  let failed = false;
  let closed = false;

  const setThreshold = (pages: number): void => {
    if (database.isOpen) database.exec(`PRAGMA wal_autocheckpoint=${pages}`);
  };

  const stop = (): void => {
    clearInterval(idleCheck);
    idleCheck = undefined;
    const stopping = worker;
    worker = undefined;
    writes = 0;
    if (stopping === undefined) return;
    // The thread makes its last checkpoint and ends by itself; until then the two may overlap, harmlessly.
    stopping.postMessage("stop");
    setThreshold(DEFAULT_AUTOCHECKPOINT_PAGES);
  };

  const start = (): void => {
    let started: Worker;
    try {
      const data: WalCheckpointThreadData = { path, intervalMs, catchUpPages, catchUpIntervalMs };
      started = new Worker(threadUrl, { workerData: data, resourceLimits: THREAD_LIMITS });
    } catch {
      failed = true;
      return;
    }
    // Never what keeps the process alive.
    started.unref();
    started.on("error", () => undefined);
    alive.set(started, new Promise<void>((resolve) => started.once("exit", () => resolve())));
    started.on("exit", () => {
      alive.delete(started);
      if (worker !== started) return;
      // It died while in charge: the store's connection checkpoints again, from now on.
      failed = true;
      stop();
    });
    worker = started;
    setThreshold(BACKSTOP_AUTOCHECKPOINT_PAGES);
    writes = 0;
    idleCheck = setInterval(() => {
      if (writes === 0) stop();
      writes = 0;
    }, idleMs);
    idleCheck.unref();
  };

  return {
    noteWrite() {
      writes++;
      if (worker !== undefined || failed || closed) return;
      // Only a burst starts the thread: writes spread over a long time are counted afresh every `idleMs`.
      const now = performance.now();
      if (now - windowStart > idleMs) {
        windowStart = now;
        writes = 1;
      }
      if (writes >= writesBeforeStart) start();
    },
    running() {
      return worker !== undefined;
    },
    async close() {
      closed = true;
      clearInterval(idleCheck);
      worker = undefined;
      // The store's connection is closing too; a last checkpoint is not needed, the log keeps every commit.
      const ending = [...alive].map(([thread, ended]) => {
        void thread.terminate().catch(() => undefined);
        return ended;
      });
      await Promise.all(ending);
    },
  };
}
