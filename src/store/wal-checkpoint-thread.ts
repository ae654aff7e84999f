/**
 * The entry point of the thread a {@link startWalCheckpointer} starts: its
 * own connection to the database file, copying the write-ahead log into the
 * database several times a second. A passive checkpoint waits for no
 * lock and holds up no reader or writer; one with nothing to copy costs a
 * few microseconds and writes nothing. Asked to stop, it makes one last
 * checkpoint, closes its connection and ends.
 */
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";

/** What the thread is started with. */
export interface WalCheckpointThreadData {
  readonly path: string;
  readonly intervalMs: number;
}

const port = parentPort;
if (port !== null) {
  const { path, intervalMs } = workerData as WalCheckpointThreadData;
  const database = new DatabaseSync(path);
  const checkpoint = database.prepare("PRAGMA wal_checkpoint(PASSIVE)");
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    checkpoint.get();
    timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  port.on("message", (message: unknown) => {
    if (message !== "stop") return;
    clearTimeout(timer);
    checkpoint.get();
    database.close();
    port.close();
  });
}
