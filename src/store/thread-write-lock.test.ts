import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, it, type TestContext } from "node:test";
import { Worker } from "node:worker_threads";
import { threadWriteLockOf, type ThreadWriteLock } from "./thread-write-lock.ts";

const LOCK_MODULE = new URL("./thread-write-lock.ts", import.meta.url).href;

/**
 * A thread that takes the lock through `slot` `rounds` times, each time
 * reading a shared counter, yielding to its event loop, then writing the
 * counter plus one: without the lock, updates of other threads get lost.
 */
function counterThread(params: { buffer: SharedArrayBuffer; counter: SharedArrayBuffer; slot: number; rounds: number }): Worker {
  const code = `
    const { workerData, parentPort } = require("node:worker_threads");
    (async () => {
      const { threadWriteLockOf } = await import(workerData.module);
      const lock = threadWriteLockOf({ buffer: workerData.buffer, slot: workerData.slot });
      const counter = new Int32Array(workerData.counter);
      for (let round = 0; round < workerData.rounds; round++) {
        await lock.acquire();
        const seen = counter[0];
        await new Promise((resolve) => setImmediate(resolve));
        counter[0] = seen + 1;
        lock.release();
      }
      parentPort.postMessage("done");
    })();
  `;
  return new Worker(code, { eval: true, workerData: { ...params, module: LOCK_MODULE } });
}

/** A thread that takes the lock and then waits to be ended, holding it (or waiting for it) when it dies. */
function holdingThread(params: { buffer: SharedArrayBuffer; slot: number }): Worker {
  const code = `
    const { workerData, parentPort } = require("node:worker_threads");
    (async () => {
      const { threadWriteLockOf } = await import(workerData.module);
      const lock = threadWriteLockOf({ buffer: workerData.buffer, slot: workerData.slot });
      parentPort.postMessage("asking");
      await lock.acquire();
      parentPort.postMessage("holding");
      setInterval(() => {}, 1000);
    })();
  `;
  return new Worker(code, { eval: true, workerData: { ...params, module: LOCK_MODULE } });
}

/**
 * A thread that takes the lock, says so, and releases it when told "release",
 * or `holdMs` after `go` is set: counted from then, not from its message, which
 * a loaded machine may deliver late.
 */
function releasingThread(params: { buffer: SharedArrayBuffer; slot: number; holdMs?: number; go?: SharedArrayBuffer }): Worker {
  const code = `
    const { workerData, parentPort } = require("node:worker_threads");
    (async () => {
      const { threadWriteLockOf } = await import(workerData.module);
      const lock = threadWriteLockOf({ buffer: workerData.buffer, slot: workerData.slot });
      await lock.acquire();
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        lock.release();
        parentPort.postMessage("released");
      };
      parentPort.on("message", release);
      parentPort.postMessage("holding");
      if (workerData.holdMs !== undefined) {
        Atomics.wait(new Int32Array(workerData.go), 0, 0);
        setTimeout(release, workerData.holdMs);
      }
    })();
  `;
  return new Worker(code, { eval: true, workerData: { ...params, module: LOCK_MODULE } });
}

/**
 * A new lock, taken through slot 0 with a blocking wait, and a thread that
 * holds it through slot 1 (see {@link releasingThread}); resolves once the
 * thread holds it. Whatever an assertion leaves behind, the thread's turn
 * goes when the test ends, so no wait outlives the test.
 */
async function heldByThread(
  t: TestContext,
  params: { blockingWaitMs: number; holdMs?: number },
): Promise<{ lock: ThreadWriteLock; thread: Worker; go: () => void }> {
  const lock = threadWriteLockOf({ blockingWaitMs: params.blockingWaitMs });
  const go = new SharedArrayBuffer(4);
  const thread = releasingThread({ buffer: lock.buffer, slot: 1, go, ...(params.holdMs === undefined ? {} : { holdMs: params.holdMs }) });
  t.after(async () => {
    await thread.terminate();
    lock.abandon(1);
  });
  assert.deepEqual(await once(thread, "message"), ["holding"]);
  const start = () => {
    Atomics.store(new Int32Array(go), 0, 1);
    Atomics.notify(new Int32Array(go), 0);
  };
  return { lock, thread, go: start };
}

/** Whether a promise settles by the time the microtasks queued now have run. */
async function settledAlready(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await Promise.resolve();
  return settled;
}

/** Whether a promise settles within a few turns of the event loop. */
async function settlesSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return settled;
}

describe("thread write lock", () => {
  it("lets one thread at a time in, so no thread's update is lost", async () => {
    const lock = threadWriteLockOf();
    const counter = new SharedArrayBuffer(4);
    const rounds = 200;
    const threads = [1, 2, 3].map((slot) => counterThread({ buffer: lock.buffer, counter, slot, rounds }));
    // This thread takes part too, through slot 0.
    const cells = new Int32Array(counter);
    for (let round = 0; round < rounds; round++) {
      await lock.acquire();
      const seen = cells[0]!;
      await new Promise((resolve) => setImmediate(resolve));
      cells[0] = seen + 1;
      lock.release();
    }
    await Promise.all(threads.map((thread) => once(thread, "message")));
    await Promise.all(threads.map((thread) => thread.terminate()));
    assert.equal(cells[0], 4 * rounds);
  });

  it("serves waiters in the order they asked", async () => {
    const first = threadWriteLockOf();
    const others = [1, 2, 3].map((slot) => threadWriteLockOf({ buffer: first.buffer, slot }));
    await first.acquire();
    const order: number[] = [];
    const waits = others.map((lock, index) =>
      lock.acquire().then(() => {
        order.push(index + 1);
        lock.release();
      }),
    );
    assert.equal(await settlesSoon(waits[0]!), false, "nobody gets in while the lock is held");
    first.release();
    await Promise.all(waits);
    assert.deepEqual(order, [1, 2, 3]);
  });

  it("keeps a thread alive while it waits for its turn", async () => {
    const lock = threadWriteLockOf();
    await lock.acquire();
    const thread = holdingThread({ buffer: lock.buffer, slot: 1 });
    await once(thread, "message");
    let exited = false;
    thread.once("exit", () => (exited = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(exited, false, "a thread whose only work is waiting for the lock must not end");
    lock.release();
    assert.deepEqual(await once(thread, "message"), ["holding"]);
    await thread.terminate();
  });

  it("gives up the turn of a thread that died holding the lock", async () => {
    const lock = threadWriteLockOf();
    const thread = holdingThread({ buffer: lock.buffer, slot: 1 });
    await once(thread, "message");
    assert.deepEqual(await once(thread, "message"), ["holding"]);
    const waiting = lock.acquire();
    assert.equal(await settlesSoon(waiting), false);
    await thread.terminate();
    lock.abandon(1);
    await waiting;
    lock.release();
  });

  it("gives up the turn of a thread that died waiting for the lock", async () => {
    const lock = threadWriteLockOf();
    await lock.acquire();
    const thread = holdingThread({ buffer: lock.buffer, slot: 1 });
    await once(thread, "message");
    // The thread has its ticket; this slot asks after it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = threadWriteLockOf({ buffer: lock.buffer, slot: 2 });
    const waiting = later.acquire();
    await thread.terminate();
    lock.abandon(1);
    assert.equal(await settlesSoon(waiting), false, "the lock is still held by slot 0");
    lock.release();
    await waiting;
    later.release();
    // And the lock goes on working.
    await lock.acquire();
    lock.release();
  });

  it("takes a turn the moment it comes when waiting with the event loop stopped", async (t) => {
    const { lock, go } = await heldByThread(t, { blockingWaitMs: 5000, holdMs: 50 });
    go();
    const askedAt = performance.now();
    // Stopped here until the thread releases: no turn of the event loop in between.
    const turn = lock.acquire();
    assert.ok(performance.now() - askedAt >= 20, "acquire waited for the holder before returning");
    assert.equal(await settledAlready(turn), true, "the turn was taken without waiting for the event loop");
    lock.release();
  });

  it("waits as a promise once its blocking wait is over", async (t) => {
    const { lock, thread } = await heldByThread(t, { blockingWaitMs: 30 });
    const askedAt = performance.now();
    const turn = lock.acquire();
    const blocked = performance.now() - askedAt;
    assert.ok(blocked >= 29 && blocked < 1000, `blocked for ${blocked} ms, about 30 expected`);
    assert.equal(await settlesSoon(turn), false, "nobody gets in while the thread holds the lock");
    thread.postMessage("release");
    await turn;
    lock.release();
  });

  it("refuses a slot out of range", () => {
    assert.throws(() => threadWriteLockOf({ slot: 4 }), RangeError);
    assert.throws(() => threadWriteLockOf({ slot: -1 }), RangeError);
  });
});
