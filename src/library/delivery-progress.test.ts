import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openTestStore } from "../../test/support/test-store.ts";
import type { JobRecord } from "../store/records.ts";
import { createDeliveryTracker, waitForDeliveries } from "./delivery-progress.ts";

function job(id: string, groupKey: string | null): JobRecord {
  return {
    id,
    queue: "deliver",
    payload: {},
    status: "pending",
    attempts: 0,
    runAt: new Date().toISOString(),
    createdAt: new Date().toISOString(),
    lastError: null,
    dedupeKey: null,
    groupKey,
  };
}

describe("createDeliveryTracker", () => {
  it("counts each delivery once, moving a retried one from failed to delivered when it succeeds", () => {
    const tracker = createDeliveryTracker();
    tracker.record(job("1", "a"), { kind: "done" });
    tracker.record(job("2", "a"), { kind: "retry", at: new Date(), error: "503" });
    tracker.record(job("3", "a"), { kind: "fail", error: "handler threw: boom" });
    assert.deepEqual(tracker.get("a"), { delivered: 1, failed: 2 });
    tracker.record(job("2", "a"), { kind: "done" });
    tracker.record(job("1", "a"), { kind: "fail", error: "late" });
    assert.deepEqual(tracker.get("a"), { delivered: 2, failed: 1 });
    tracker.record(job("4", null), { kind: "done" });
    assert.equal(tracker.get("b"), undefined);
  });

  it("forgets the oldest activities beyond its bound", () => {
    const tracker = createDeliveryTracker({ maxActivities: 2 });
    for (const group of ["a", "b", "c"]) tracker.record(job(group, group), { kind: "done" });
    assert.equal(tracker.get("a"), undefined);
    assert.deepEqual(tracker.get("c"), { delivered: 1, failed: 0 });
  });
});

describe("waitForDeliveries", () => {
  it("without a worker here, waits on the store's counts until nothing is pending", async () => {
    const store = await openTestStore();
    try {
      await store.jobs.enqueue([
        { queue: "deliver", payload: {}, groupKey: "act" },
        { queue: "deliver", payload: {}, groupKey: "act" },
      ]);
      const [first, second] = await store.jobs.claim({ queues: ["deliver"], limit: 2, workerId: "w", leaseMs: 60_000, now: new Date() });
      assert.ok(first !== undefined && second !== undefined);
      await store.jobs.complete(first.id, new Date());
      const reports: number[][] = [];
      const waiting = waitForDeliveries({ store, tracker: undefined, activityUri: "act", total: 2, onProgress: (...counts) => reports.push(counts) });
      setTimeout(() => void store.jobs.fail(second.id, { error: "gone" }), 30);
      assert.deepEqual(await waiting, { delivered: 1, failed: 1, total: 2 });
      assert.deepEqual(reports, [[1, 0, 2], [1, 1, 2]]);
    } finally {
      await store.close();
    }
  });

  it("stops waiting when aborted", async () => {
    const store = await openTestStore();
    try {
      await store.jobs.enqueue([{ queue: "deliver", payload: {}, groupKey: "act" }]);
      const controller = new AbortController();
      const waiting = waitForDeliveries({ store, tracker: createDeliveryTracker(), activityUri: "act", total: 1, signal: controller.signal });
      controller.abort(new Error("enough"));
      await assert.rejects(waiting, /enough/);
    } finally {
      await store.close();
    }
  });
});
