import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startIdleCompaction, type CompactionReport } from "./idle-compaction.ts";

/** Keeps the event loop busy for `ms`, as a burst of requests would. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

/** Resolves once `condition` holds; fails after a few seconds (a loaded machine delays timers). */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!condition()) {
    if (performance.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

describe("idle compaction", () => {
  it("compacts once the loop has been quiet, and not again while the heap stays the same", async () => {
    let collections = 0;
    const compaction = startIdleCompaction({ intervalMs: 20, collect: () => collections++, heapBytes: () => 64 * 1024 * 1024 });
    try {
      await eventually(() => collections === 1, "the quiet loop compacts");
      await sleep(200);
      assert.equal(collections, 1, "an unchanged heap is not compacted again");
    } finally {
      compaction.stop();
    }
  });

  it("waits while the loop is busy and compacts after the work ends", async () => {
    let collections = 0;
    let heap = 64 * 1024 * 1024;
    // Quiet means three 50 ms samples in a row: the 1 ms pauses of the burst below are far from
    // it, even when a loaded machine makes one of them last much longer.
    const compaction = startIdleCompaction({ intervalMs: 50, quietSamples: 3, collect: () => collections++, heapBytes: () => heap });
    try {
      await eventually(() => collections === 1, "the quiet loop compacts");
      heap += 32 * 1024 * 1024;
      for (let round = 0; round < 30; round++) {
        busyFor(15);
        await sleep(1);
      }
      assert.equal(collections, 1, "no compaction while busy");
      await eventually(() => collections === 2, "the burst is over and the grown heap compacts");
    } finally {
      compaction.stop();
    }
  });

  it("gives back the memory of garbage left from a burst, with V8's own collector", async () => {
    let kept: unknown[] = [];
    for (let index = 0; index < 200_000; index++) kept.push({ index, text: `garbage ${index}` });
    kept = [];
    const report = await new Promise<CompactionReport>((resolve) => {
      const compaction = startIdleCompaction({
        intervalMs: 20,
        onCompacted: (compacted) => {
          compaction.stop();
          resolve(compacted);
        },
      });
    });
    assert.equal(kept.length, 0);
    assert.ok(
      report.heapAfterBytes < report.heapBeforeBytes,
      `heap went from ${report.heapBeforeBytes} to ${report.heapAfterBytes} bytes`,
    );
  });
});
