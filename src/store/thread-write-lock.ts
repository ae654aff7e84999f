/**
 * A write lock shared by the threads of one process that write the same
 * SQLite file, each through a connection of its own. SQLite lets one writer
 * in at a time and makes the others wait in its busy handler, which sleeps
 * (1, 2, 5, 10… ms) and so stops a thread's event loop while another thread
 * commits. Taking this lock first turns that wait into a promise: the thread
 * goes on answering requests until its turn comes.
 *
 * Turns are handed out in order (a ticket lock), so a thread that writes
 * continuously cannot starve one that writes now and then. Each thread takes
 * the lock through its own slot, where its ticket is noted while it waits or
 * holds: when a thread dies, {@link ThreadWriteLock.abandon} gives up that
 * ticket for it, and the others are not left waiting for a turn nobody takes.
 *
 * A turn handed to a thread whose event loop is busy (answering requests,
 * say) is taken only once that loop gets to the promise, and until then
 * nobody writes: measured with the inbox thread, that thread spent a third
 * of its time waiting for turns the process's thread had not yet taken. A
 * slot can therefore wait for its turn synchronously first
 * (`blockingWaitMs`), so that it writes the moment the other thread
 * releases: the process's thread, whose writes are short and which would
 * otherwise hold up the thread that processes the inbox.
 */

/**
 * Cells of the shared buffer: the two counters, an abandoned ticket (a flag
 * and the ticket), then a flag and a ticket per slot.
 */
const NEXT_TICKET = 0;
const NOW_SERVING = 1;
const ABANDONED_FLAG = 2;
const ABANDONED_TICKET = 3;
const FIRST_SLOT = 4;
/** Slots of one lock: the thread that made it and the threads it hands the buffer to. */
export const THREAD_WRITE_LOCK_SLOTS = 4;

/** A lock over a SharedArrayBuffer, as taken through one slot. */
export interface ThreadWriteLock {
  /** The buffer to hand to another thread (in its workerData), which opens it with a slot of its own. */
  readonly buffer: SharedArrayBuffer;
  /** Resolves once this slot holds the lock; one acquire at a time per slot, each followed by one release. */
  acquire(): Promise<void>;
  release(): void;
  /** Gives up what another slot holds or waits for: its thread died. */
  abandon(slot: number): void;
}

/** Parameters of {@link threadWriteLockOf}. */
export interface ThreadWriteLockParameters {
  /** The buffer of a lock another thread created; without it a new lock. */
  readonly buffer?: SharedArrayBuffer;
  /** The slot this thread takes the lock through; 0 by default. */
  readonly slot?: number;
  /**
   * How long {@link ThreadWriteLock.acquire} waits for its turn with the
   * event loop stopped (Atomics.wait) before it waits as a promise; 0 by
   * default. Only for a thread that no holder of the lock waits for before
   * it releases: stopped, that thread could not answer until the wait ends.
   */
  readonly blockingWaitMs?: number;
}

/**
 * A new lock (no buffer), or a lock over a buffer another thread created.
 * Slot 0 is the creator's; give every other thread a slot of its own.
 */
export function threadWriteLockOf(params: ThreadWriteLockParameters = {}): ThreadWriteLock {
  const buffer = params.buffer ?? new SharedArrayBuffer((FIRST_SLOT + 2 * THREAD_WRITE_LOCK_SLOTS) * 4);
  const slot = params.slot ?? 0;
  const blockingWaitMs = Math.max(0, params.blockingWaitMs ?? 0);
  if (!Number.isInteger(slot) || slot < 0 || slot >= THREAD_WRITE_LOCK_SLOTS) {
    throw new RangeError(`slot must be an integer from 0 to ${THREAD_WRITE_LOCK_SLOTS - 1}, got ${slot}`);
  }
  const cells = new Int32Array(buffer);

  const slotFlag = (of: number) => FIRST_SLOT + 2 * of;

  /** Passes a turn whose ticket was abandoned; called by whoever advances the counter. */
  function skipAbandoned(): void {
    if (Atomics.load(cells, ABANDONED_FLAG) === 0) return;
    if (Atomics.load(cells, NOW_SERVING) !== Atomics.load(cells, ABANDONED_TICKET)) return;
    if (Atomics.compareExchange(cells, ABANDONED_FLAG, 1, 0) !== 1) return;
    Atomics.add(cells, NOW_SERVING, 1);
  }

  function advance(): void {
    Atomics.add(cells, NOW_SERVING, 1);
    skipAbandoned();
    Atomics.notify(cells, NOW_SERVING);
  }

  return {
    buffer,
    async acquire() {
      // Int32 counters wrap around together, so equality keeps its meaning past 2^32 turns.
      const ticket = Atomics.add(cells, NEXT_TICKET, 1);
      Atomics.store(cells, slotFlag(slot) + 1, ticket);
      Atomics.store(cells, slotFlag(slot), 1);
      const blockUntil = blockingWaitMs > 0 ? performance.now() + blockingWaitMs : 0;
      for (;;) {
        const serving = Atomics.load(cells, NOW_SERVING);
        if (serving === ticket) return;
        const blockFor = blockUntil - performance.now();
        if (blockFor > 0) {
          Atomics.wait(cells, NOW_SERVING, serving, blockFor);
          continue;
        }
        const waiting = Atomics.waitAsync(cells, NOW_SERVING, serving);
        if (!waiting.async) continue;
        // A pending waitAsync does not keep Node's event loop alive; a timer does, until the turn comes.
        const keepAlive = setInterval(() => {}, 1 << 30);
        try {
          await waiting.value;
        } finally {
          clearInterval(keepAlive);
        }
      }
    },
    release() {
      Atomics.store(cells, slotFlag(slot), 0);
      advance();
    },
    abandon(deadSlot) {
      if (Atomics.exchange(cells, slotFlag(deadSlot), 0) === 0) return;
      const ticket = Atomics.load(cells, slotFlag(deadSlot) + 1);
      if (Atomics.load(cells, NOW_SERVING) === ticket) {
        advance();
        return;
      }
      // Not its turn yet: whoever ends the turn before it passes it on. One dead thread at a time is enough here.
      Atomics.store(cells, ABANDONED_TICKET, ticket);
      Atomics.store(cells, ABANDONED_FLAG, 1);
      skipAbandoned();
      Atomics.notify(cells, NOW_SERVING);
    },
  };
}
