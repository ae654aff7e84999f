/**
 * Job outcomes, written in batches. Recording each finished job on its own
 * costs a statement (and a commit) per job; a worker finishing hundreds a
 * second records them a few milliseconds late instead, many per write. An
 * outcome waiting here is safe to lose: its job is still leased, and if the
 * write never happens the lease lapses and the job runs again (jobs are
 * idempotent).
 */
import type { JobSettlement } from "../../store/store.ts";

/** Parameters of {@link createSettlementBuffer}. */
export interface CreateSettlementBufferParameters {
  /** Writes one batch (the store's `settle`). */
  readonly write: (settlements: readonly JobSettlement[]) => Promise<void>;
  /** Told of a batch that could not be written; its jobs run again once their leases lapse. */
  readonly onError: (error: unknown, settlements: readonly JobSettlement[]) => void;
  /** How long the first outcome of a batch waits for others. */
  readonly delayMs?: number;
  /** A batch this big is written at once. */
  readonly maxBatch?: number;
}

/** Outcomes waiting to be written. */
export interface SettlementBuffer {
  /** Adds an outcome; it is written within `delayMs` (or once the write under way ends). */
  add(settlement: JobSettlement): void;
  /**
   * Hands over the outcomes waiting to be written (not those being written),
   * for a caller that writes them itself, together with a write of its own.
   * It owes them a write: they are no longer this buffer's.
   */
  take(): JobSettlement[];
  /** Writes every outcome added so far; resolves once written or given up on, never rejects. */
  flush(): Promise<void>;
  /** Outcomes added and not yet written (or given up on). */
  readonly size: number;
}

const DEFAULT_DELAY_MS = 5;
const DEFAULT_MAX_BATCH = 200;

/** Creates an empty buffer. */
export function createSettlementBuffer(params: CreateSettlementBufferParameters): SettlementBuffer {
  const delayMs = params.delayMs ?? DEFAULT_DELAY_MS;
  const maxBatch = params.maxBatch ?? DEFAULT_MAX_BATCH;
  let waiting: JobSettlement[] = [];
  let inFlight = 0;
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function writeWaiting(): Promise<void> {
    // Outcomes added while a batch is written wait for it, then go together in the next.
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      inFlight = batch.length;
      try {
        await params.write(batch);
      } catch (error) {
        params.onError(error, batch);
      }
      inFlight = 0;
    }
  }

  function startWriting(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    writing ??= writeWaiting().finally(() => {
      writing = undefined;
      // Added after the loop saw an empty buffer, but before this ran.
      if (waiting.length > 0) timer ??= setTimeout(() => void startWriting(), delayMs);
    });
    return writing;
  }

  return {
    add(settlement) {
      waiting.push(settlement);
      if (writing !== undefined) return;
      if (waiting.length >= maxBatch) void startWriting();
      else timer ??= setTimeout(() => void startWriting(), delayMs);
    },

    take() {
      const taken = waiting;
      waiting = [];
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      return taken;
    },

    async flush() {
      while (waiting.length > 0 || writing !== undefined) await startWriting();
    },

    get size() {
      return waiting.length + inFlight;
    },
  };
}
