import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { openTestStore, type TestStore } from "../../test/support/test-store.ts";
import { readJobStats } from "./job-stats.ts";

const stores: TestStore[] = [];
after(async () => {
  for (const store of stores) await store.close();
});

describe("readJobStats", () => {
  it("counts each queue's due, scheduled, running, failed and done jobs, and the backed-off hosts", async () => {
    const store = await openTestStore();
    stores.push(store);
    const now = new Date("2026-03-01T12:00:00.000Z");
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
    await store.jobs.enqueue([
      ...Array.from({ length: 5 }, (_, i) => ({ queue: "deliver", payload: { i }, runAt: minutesAgo(10 - i) })),
      { queue: "deliver", payload: { later: true }, runAt: new Date(now.getTime() + 3_600_000).toISOString() },
      { queue: "inbox", payload: {}, runAt: minutesAgo(1) },
      { queue: "inbox", payload: {}, runAt: minutesAgo(1) },
    ]);
    // A worker took the two oldest deliveries; one of them then failed for good, and an inbox job is done.
    const claimed = await store.jobs.claim({ queues: ["deliver"], limit: 2, workerId: "w", leaseMs: 60_000, now });
    assert.equal(claimed.length, 2);
    await store.jobs.fail(claimed[0]!.id, { error: "gone" });
    const [inbox] = await store.jobs.claim({ queues: ["inbox"], limit: 1, workerId: "w", leaseMs: 60_000, now });
    await store.jobs.complete(inbox!.id, now);
    await store.hosts.recordFailure("down.example", { at: minutesAgo(1), backoffUntil: new Date(now.getTime() + 600_000).toISOString() });
    await store.hosts.recordFailure("flaky.example", { at: minutesAgo(1), backoffUntil: null });

    const stats = await readJobStats({ db: store.db, now });
    assert.deepEqual(stats.queues, [
      { queue: "deliver", due: 3, scheduled: 1, running: 1, failed: 1, done: 0, oldestDueAt: minutesAgo(8) },
      { queue: "inbox", due: 1, scheduled: 0, running: 0, failed: 0, done: 1, oldestDueAt: minutesAgo(1) },
    ]);
    assert.equal(stats.backedOffHosts, 1);
  });
});
