/**
 * The entry point of the thread a {@link startWalCheckpointer} starts: its
 * own connection to the database file, copying the write-ahead log into the
 * database several times a second. A passive checkpoint waits for no
 * lock and holds up no reader or writer; one with nothing to copy costs a
 * few microseconds and writes nothing. Asked to stop, it makes one last
 * checkpoint, closes its connection and ends.
 *
 * Copying the log does not shorten it: the store's connection starts it
 * afresh only when a write begins while all of it is copied. Under steady
 * writes a checkpoint made every `intervalMs` never finds that moment (the
 * commits made while it copies are left for the next one), so the log grew
 * to the store's backstop, where the store's own connection copied the rest
 * and synced the database file: 25–65 ms of its event loop each time, about
 * once a second while a burst of inbox POSTs came in. Once the log is
 * `catchUpPages` long, the thread checkpoints every `catchUpIntervalMs`
 * instead: each copies only the commits of the last few milliseconds, one
 * of them ends in a pause between the store's commits, and the next write
 * starts the log afresh.
 */
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";

/** What the thread is started with. */
export interface WalCheckpointThreadData {
  readonly path: string;
  readonly intervalMs: number;
  /** Log length, in pages, from which the thread checkpoints every `catchUpIntervalMs`. */
  readonly catchUpPages: number;
  readonly catchUpIntervalMs: number;
}

/** The part of `PRAGMA wal_checkpoint`'s answer the thread uses: the log's length in pages, -1 when another connection was checkpointing. */
interface CheckpointResult {
  readonly log: number;
}

/** How long the thread waits before its next checkpoint, given what the last one found. */
function nextCheckpointDelayMs(result: CheckpointResult, data: WalCheckpointThreadData): number {
  return result.log >= data.catchUpPages ? data.catchUpIntervalMs : data.intervalMs;
}

const port = parentPort;
if (port !== null) {
  const data = workerData as WalCheckpointThreadData;
  const database = new DatabaseSync(data.path);
  const checkpoint = database.prepare("PRAGMA wal_checkpoint(PASSIVE)");
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    const result = checkpoint.get() as unknown as CheckpointResult;
    timer = setTimeout(tick, nextCheckpointDelayMs(result, data));
  };
  timer = setTimeout(tick, data.intervalMs);
  port.on("message", (message: unknown) => {
    if (message !== "stop") return;
    clearTimeout(timer);
    checkpoint.get();
    database.close();
    port.close();
  });
}
