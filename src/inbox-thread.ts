/**
 * The inbox thread (see federation/inbox/inbox-offload.ts): a job worker
 * for the inbox queue over a connection of its own to the process's
 * database, with the process's configuration. Its log lines go to the
 * process, which writes them through its own logger; jobs it queues on
 * other queues are the process's worker's to run.
 */
import { parentPort, workerData } from "node:worker_threads";
import pino from "pino";
import type { FederationConfig, FederationContext } from "./federation/context.ts";
import { platformFetch } from "./federation/fetch/platform-transport.ts";
import { handleInboxJob } from "./federation/inbox/process.ts";
import { INBOX_QUEUE } from "./federation/inbox/inbox-job.ts";
import type { InboxThreadCommand, InboxThreadMessage } from "./federation/inbox/inbox-offload.ts";
import type { InteractionOptions } from "./federation/interactions/options.ts";
import { createWorker } from "./federation/queue/worker.ts";
import { localContextExtras } from "./local-context.ts";
import { createLocalUris } from "./protocol/uris.ts";
import { createSqlStore, type SqlStoreSibling } from "./store/sql-store.ts";

/** The thread's workerData: plain data only. */
export interface InboxThreadData {
  readonly store: SqlStoreSibling["params"];
  /** This thread's slot of the store's write lock. */
  readonly lockSlot: number;
  readonly config: FederationConfig;
  readonly interactions?: InteractionOptions;
  readonly logLevel: string;
  readonly idleMs: number;
}

const port = parentPort;
if (port === null) throw new Error("inbox-thread.ts runs as a worker thread");
const send = (message: InboxThreadMessage): void => port.postMessage(message);
const data = workerData as InboxThreadData;

const logger = pino({ level: data.logLevel, base: { thread: "inbox" } }, { write: (line: string) => send({ kind: "log", line }) });
const { writeLockBuffer, ...storeParams } = data.store;
const store = await createSqlStore({
  ...storeParams,
  ...(writeLockBuffer === undefined ? {} : { writeLock: { buffer: writeLockBuffer, slot: data.lockSlot } }),
});
const uris = createLocalUris({ origin: data.config.origin, prefix: data.config.prefix });

let lastClaimAt = performance.now();
const ctx: FederationContext = {
  store,
  uris,
  config: data.config,
  logger,
  now: () => new Date(),
  fetch: platformFetch,
  plugins: [],
  jobsQueued: (queues) => {
    // Called only by jobs, which the worker below runs.
    if (queues.includes(INBOX_QUEUE)) worker.notify();
    const others = queues.filter((queue) => queue !== INBOX_QUEUE);
    if (others.length > 0) send({ kind: "queued", queues: others });
  },
  ...(data.interactions === undefined ? {} : { interactions: data.interactions }),
  ...localContextExtras({ store, uris }),
};
const worker = createWorker(ctx, {
  handlers: { [INBOX_QUEUE]: handleInboxJob },
  onClaimed: () => {
    lastClaimAt = performance.now();
  },
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(idleCheck);
  await worker.stop();
  await store.close();
  port!.close();
}

const idleCheck = setInterval(() => {
  if (performance.now() - lastClaimAt < data.idleMs) return;
  send({ kind: "idle" });
  void stop();
}, Math.min(1000, Math.max(10, data.idleMs / 4)));

port.on("message", (command: InboxThreadCommand) => {
  if (command.kind === "jobs") worker.notify();
  else if (command.kind === "stop") void stop();
});
worker.start();
send({ kind: "ready" });
