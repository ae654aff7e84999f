/** Contract: the job queue. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { JsonText } from "../json-text.ts";
import type { ClaimJobsParameters } from "../store.ts";
import { at, withStore, type OpenStore } from "./fixtures.ts";

const NOW = new Date(at(100));
const LEASE_MS = 60_000;

function claimParams(overrides: Partial<ClaimJobsParameters> = {}): ClaimJobsParameters {
  return { queues: ["delivery"], limit: 10, workerId: "worker-1", leaseMs: LEASE_MS, now: NOW, ...overrides };
}

function minutesAfterNow(minutes: number): Date {
  return new Date(NOW.getTime() + minutes * 60_000);
}

/** Registers the job queue contract tests. */
export function jobContract(open: OpenStore): void {
  describe("jobs", () => {
    test("enqueue and claim round-trip every field and payload shape", () =>
      withStore(open, async (store) => {
        const payloads: unknown[] = [{ inbox: "https://x.example/inbox", nested: { a: [1, true, null] } }, "text", 42, null, [1, 2]];
        const queued = await store.jobs.enqueue(
          payloads.map((payload, i) => ({
            queue: "delivery",
            payload,
            runAt: at(i),
            dedupeKey: `key-${i}`,
            groupKey: i % 2 === 0 ? "group-a" : null,
          })),
        );
        assert.equal(queued, payloads.length);
        const claimed = await store.jobs.claim(claimParams());
        assert.equal(claimed.length, payloads.length);
        claimed.forEach((job, i) => {
          assert.deepEqual(job.payload, payloads[i]);
          assert.equal(job.queue, "delivery");
          assert.equal(job.status, "pending");
          assert.equal(job.attempts, 0);
          assert.equal(job.runAt, at(i));
          assert.equal(job.lastError, null);
          assert.equal(job.dedupeKey, `key-${i}`);
          assert.equal(job.groupKey, i % 2 === 0 ? "group-a" : null);
          assert.equal(typeof job.id, "string");
          assert.equal(typeof job.createdAt, "string");
        });
        assert.deepEqual(await store.jobs.get(claimed[0]!.id), claimed[0]);
        assert.equal(await store.jobs.get("no-such-job"), null);
        assert.equal(new Set(claimed.map((job) => job.id)).size, payloads.length);
      }));

    test("a payload given as JSON text comes back as the value it stands for", () =>
      withStore(open, async (store) => {
        const text = ' { "activity" : {"id":"https://x.example/1","content":"caf\\u00e9"}, "n": [1, 2.5e3] }\n';
        assert.equal(await store.jobs.enqueue([{ queue: "inbox", payload: new JsonText(text) }]), 1);
        const [job] = await store.jobs.claim(claimParams({ queues: ["inbox"], now: new Date(Date.now() + 1000) }));
        assert.deepEqual(job?.payload, { activity: { id: "https://x.example/1", content: "café" }, n: [1, 2500] });
      }));

    test("a job without runAt is due at once", () =>
      withStore(open, async (store) => {
        await store.jobs.enqueue([{ queue: "inbox", payload: {} }]);
        const claimed = await store.jobs.claim(claimParams({ queues: ["inbox"], now: new Date(Date.now() + 1000) }));
        assert.equal(claimed.length, 1);
        assert.equal(claimed[0]!.dedupeKey, null);
        assert.equal(claimed[0]!.groupKey, null);
      }));

    test("a dedupe key is queued once, even after the job is done", () =>
      withStore(open, async (store) => {
        assert.equal(
          await store.jobs.enqueue([
            { queue: "delivery", payload: 1, runAt: at(0), dedupeKey: "same" },
            { queue: "delivery", payload: 2, runAt: at(0), dedupeKey: "same" },
            { queue: "delivery", payload: 3, runAt: at(0), dedupeKey: null },
            { queue: "delivery", payload: 4, runAt: at(0) },
          ]),
          3,
        );
        assert.equal(await store.jobs.enqueue([{ queue: "delivery", payload: 5, dedupeKey: "same" }]), 0);
        const [job] = (await store.jobs.claim(claimParams())).filter((j) => j.dedupeKey === "same");
        assert.deepEqual(job?.payload, 1);
        await store.jobs.complete(job!.id, NOW);
        assert.equal(await store.jobs.enqueue([{ queue: "delivery", payload: 6, dedupeKey: "same" }]), 0);
        assert.deepEqual(await store.jobs.counts(), { pending: 2, done: 1, failed: 0 });
      }));

    test("a large fan-out is queued whole", () =>
      withStore(open, async (store) => {
        const jobs = Array.from({ length: 1234 }, (_, i) => ({
          queue: "delivery",
          payload: { inbox: `https://h${i}.example/inbox` },
          runAt: at(0),
          dedupeKey: `fanout-${i % 1200}`,
          groupKey: "fanout",
        }));
        assert.equal(await store.jobs.enqueue(jobs), 1200);
        assert.deepEqual(await store.jobs.countByGroup("fanout"), { pending: 1200, done: 0, failed: 0 });
        assert.equal(await store.jobs.enqueue([]), 0);
      }));

    test("claim takes due jobs of the asked queues, oldest first, up to the limit", () =>
      withStore(open, async (store) => {
        await store.jobs.enqueue([
          { queue: "delivery", payload: "late", runAt: at(90) },
          { queue: "delivery", payload: "early", runAt: at(10) },
          { queue: "delivery", payload: "future", runAt: minutesAfterNow(5).toISOString() },
          { queue: "inbox", payload: "inbox", runAt: at(50) },
          { queue: "other", payload: "other", runAt: at(0) },
        ]);
        const one = await store.jobs.claim(claimParams({ queues: ["delivery", "inbox"], limit: 1 }));
        assert.deepEqual(one.map((job) => job.payload), ["early"]);
        const rest = await store.jobs.claim(claimParams({ queues: ["delivery", "inbox"], workerId: "worker-2" }));
        assert.deepEqual(rest.map((job) => job.payload), ["inbox", "late"]);
        assert.deepEqual(await store.jobs.claim(claimParams({ queues: ["delivery", "inbox"] })), []);
        assert.deepEqual(await store.jobs.claim(claimParams({ queues: [] })), []);
        const later = await store.jobs.claim(claimParams({ now: minutesAfterNow(6) }));
        // The leases of "early" and "late" have lapsed by then, so they come back too.
        assert.deepEqual(later.map((job) => job.payload), ["early", "late", "future"]);
      }));

    test("a lease keeps a job from other workers until it lapses", () =>
      withStore(open, async (store) => {
        await store.jobs.enqueue([{ queue: "delivery", payload: "x", runAt: at(0) }]);
        const [job] = await store.jobs.claim(claimParams());
        assert.ok(job);
        assert.deepEqual(await store.jobs.claim(claimParams({ workerId: "worker-2" })), []);
        const inLease = new Date(NOW.getTime() + LEASE_MS - 1);
        assert.deepEqual(await store.jobs.claim(claimParams({ workerId: "worker-2", now: inLease })), []);
        const afterLease = new Date(NOW.getTime() + LEASE_MS + 1);
        const retaken = await store.jobs.claim(claimParams({ workerId: "worker-2", now: afterLease }));
        assert.deepEqual(retaken.map((j) => j.id), [job.id]);
      }));

    test("complete finishes a job for good", () =>
      withStore(open, async (store) => {
        await store.jobs.enqueue([{ queue: "delivery", payload: "x", runAt: at(0), groupKey: "g" }]);
        const [job] = await store.jobs.claim(claimParams());
        await store.jobs.complete(job!.id, NOW);
        assert.equal((await store.jobs.get(job!.id))?.status, "done");
        assert.deepEqual(await store.jobs.claim(claimParams({ now: minutesAfterNow(600) })), []);
        assert.deepEqual(await store.jobs.countByGroup("g"), { pending: 0, done: 1, failed: 0 });
      }));

    test("retry counts the attempt, keeps the error and reschedules without a lease", () =>
      withStore(open, async (store) => {
        await store.jobs.enqueue([{ queue: "delivery", payload: "x", runAt: at(0) }]);
        const [job] = await store.jobs.claim(claimParams());
        const runAt = minutesAfterNow(10).toISOString();
        await store.jobs.retry(job!.id, { runAt, error: "HTTP 503" });
        const stored = await store.jobs.get(job!.id);
        assert.equal(stored?.attempts, 1);
        assert.equal(stored?.status, "pending");
        assert.equal(stored?.runAt, runAt);
        assert.equal(stored?.lastError, "HTTP 503");
        assert.deepEqual(await store.jobs.claim(claimParams({ now: minutesAfterNow(9) })), []);
        // Due again at runAt, by any worker: the lease went with the retry.
        const again = await store.jobs.claim(claimParams({ workerId: "worker-2", now: minutesAfterNow(10) }));
        assert.deepEqual(again.map((j) => j.id), [job!.id]);
        await store.jobs.retry(job!.id, { runAt, error: "timeout" });
        assert.equal((await store.jobs.get(job!.id))?.attempts, 2);
      }));

    test("fail gives up on a job and keeps it visible", () =>
      withStore(open, async (store) => {
        await store.jobs.enqueue([{ queue: "delivery", payload: "x", runAt: at(0), groupKey: "g" }]);
        const [job] = await store.jobs.claim(claimParams());
        await store.jobs.fail(job!.id, { error: "410 Gone" });
        const stored = await store.jobs.get(job!.id);
        assert.equal(stored?.status, "failed");
        assert.equal(stored?.attempts, 1);
        assert.equal(stored?.lastError, "410 Gone");
        assert.deepEqual(await store.jobs.claim(claimParams({ now: minutesAfterNow(600) })), []);
        assert.deepEqual(await store.jobs.countByGroup("g"), { pending: 0, done: 0, failed: 1 });
        assert.deepEqual(await store.jobs.counts(), { pending: 0, done: 0, failed: 1 });
      }));

    test("settle records done, retried and failed jobs together, each as its own call would", () =>
      withStore(open, async (store) => {
        await store.jobs.enqueue(
          Array.from({ length: 5 }, (_, i) => ({ queue: "delivery", payload: i, runAt: at(i), groupKey: "g" })),
        );
        const [first, second, third, fourth, fifth] = await store.jobs.claim(claimParams());
        const runAt = minutesAfterNow(10).toISOString();
        const finishedAt = new Date(at(50));
        await store.jobs.settle(
          [
            { id: first!.id, kind: "done" },
            { id: second!.id, kind: "retry", runAt, error: "HTTP 503" },
            { id: third!.id, kind: "done" },
            { id: fourth!.id, kind: "fail", error: "410 Gone" },
          ],
          finishedAt,
        );
        assert.equal((await store.jobs.get(first!.id))?.status, "done");
        assert.equal((await store.jobs.get(third!.id))?.status, "done");
        const retried = await store.jobs.get(second!.id);
        assert.equal(retried?.status, "pending");
        assert.equal(retried?.attempts, 1);
        assert.equal(retried?.runAt, runAt);
        assert.equal(retried?.lastError, "HTTP 503");
        const failed = await store.jobs.get(fourth!.id);
        assert.equal(failed?.status, "failed");
        assert.equal(failed?.attempts, 1);
        assert.equal(failed?.lastError, "410 Gone");
        assert.deepEqual(await store.jobs.countByGroup("g"), { pending: 2, done: 2, failed: 1 });
        // The unsettled job keeps its lease; the retried one is free again once due, for any worker.
        assert.deepEqual(await store.jobs.claim(claimParams({ workerId: "worker-2", now: minutesAfterNow(0.5) })), []);
        const later = await store.jobs.claim(claimParams({ workerId: "worker-2", now: minutesAfterNow(10) }));
        assert.deepEqual(later.map((job) => job.id), [fifth!.id, second!.id]);
        // The finish time is the one given: the done jobs are purged by it.
        assert.equal(await store.jobs.purge({ olderThan: at(51) }), 2);
        await store.jobs.settle([], finishedAt);
      }));

    // settleAndClaim is optional (a store without it has its outcomes written on their own); where a store has it, it must do this.
    test("settleAndClaim records the outcomes first, then claims what is due, a due retry included", () =>
      withStore(open, async (store) => {
        const jobs = store.jobs;
        if (jobs.settleAndClaim === undefined) return;
        await jobs.enqueue(Array.from({ length: 4 }, (_, i) => ({ queue: "delivery", payload: i, runAt: at(i) })));
        const [first, second, third] = await jobs.claim(claimParams({ limit: 3 }));
        const later = minutesAfterNow(1);
        const next = await jobs.settleAndClaim(
          [
            { id: first!.id, kind: "done" },
            { id: second!.id, kind: "retry", runAt: later.toISOString(), error: "HTTP 503" },
            { id: third!.id, kind: "fail", error: "HTTP 403" },
          ],
          claimParams({ now: later }),
        );
        // The retry is due at once and no longer leased, so it is claimed again with the job never claimed.
        assert.deepEqual(next.map((job) => job.payload).sort(), [1, 3]);
        assert.equal(next.find((job) => job.id === second!.id)?.attempts, 1);
        assert.equal((await jobs.get(first!.id))?.status, "done");
        assert.equal((await jobs.get(third!.id))?.status, "failed");
        // Done and failed jobs finished at the claim's time: a purge by an earlier time keeps them.
        assert.equal(await jobs.purge({ olderThan: NOW.toISOString(), includeFailed: true }), 0);
        assert.equal(await jobs.purge({ olderThan: minutesAfterNow(2).toISOString(), includeFailed: true }), 2);
        // With nothing to claim, the outcomes are still recorded.
        const none = await jobs.settleAndClaim(
          next.map((job) => ({ id: job.id, kind: "done" as const })),
          claimParams({ limit: 0 }),
        );
        assert.deepEqual(none, []);
        assert.deepEqual(await jobs.counts(), { pending: 0, done: 2, failed: 0 });
      }));

    test("settle finishes a large batch of done jobs", () =>
      withStore(open, async (store) => {
        const total = 620;
        await store.jobs.enqueue(Array.from({ length: total }, (_, i) => ({ queue: "delivery", payload: i, runAt: at(0) })));
        const claimed = await store.jobs.claim(claimParams({ limit: total }));
        assert.equal(claimed.length, total);
        await store.jobs.settle(claimed.map((job) => ({ id: job.id, kind: "done" as const })), NOW);
        assert.deepEqual(await store.jobs.counts(), { pending: 0, done: total, failed: 0 });
      }));

    test("concurrent enqueues each learn how many of their own jobs were queued", () =>
      withStore(open, async (store) => {
        const results = await Promise.all([
          store.jobs.enqueue([{ queue: "inbox", payload: 1, dedupeKey: "a" }]),
          store.jobs.enqueue([{ queue: "inbox", payload: 2, dedupeKey: "a" }]),
          store.jobs.enqueue([
            { queue: "inbox", payload: 3, dedupeKey: "b" },
            { queue: "inbox", payload: 4, dedupeKey: "c" },
          ]),
          store.jobs.enqueue([{ queue: "inbox", payload: 5, dedupeKey: "b" }, { queue: "inbox", payload: 6 }]),
          store.jobs.enqueue([]),
          store.jobs.enqueue(Array.from({ length: 300 }, (_, i) => ({ queue: "inbox", payload: i, dedupeKey: `many-${i}` }))),
        ]);
        // Calls made together run in the order they were made, so the first of each key wins.
        assert.deepEqual(results, [1, 0, 2, 1, 0, 300]);
        assert.deepEqual(await store.jobs.counts(), { pending: 304, done: 0, failed: 0 });
        const claimed = await store.jobs.claim(claimParams({ queues: ["inbox"], limit: 400, now: new Date(Date.now() + 1000) }));
        const payloads = new Set(claimed.map((job) => job.payload));
        for (const payload of [1, 3, 4, 6]) assert.ok(payloads.has(payload), `job ${payload} was queued`);
        assert.equal(claimed.filter((job) => job.dedupeKey === "a" || job.dedupeKey === "b").length, 2);
      }));

    test("release frees a worker's leases at once, and only that worker's", () =>
      withStore(open, async (store) => {
        await store.jobs.enqueue([
          { queue: "delivery", payload: 1, runAt: at(0) },
          { queue: "delivery", payload: 2, runAt: at(1) },
          { queue: "delivery", payload: 3, runAt: at(2) },
        ]);
        await store.jobs.claim(claimParams({ limit: 2 }));
        await store.jobs.claim(claimParams({ workerId: "worker-2" }));
        assert.equal(await store.jobs.release("worker-1"), 2);
        assert.equal(await store.jobs.release("worker-1"), 0);
        const retaken = await store.jobs.claim(claimParams({ workerId: "worker-3" }));
        assert.deepEqual(retaken.map((job) => job.payload), [1, 2]);
      }));

    test("counts and countByGroup count by status", () =>
      withStore(open, async (store) => {
        assert.deepEqual(await store.jobs.counts(), { pending: 0, done: 0, failed: 0 });
        assert.deepEqual(await store.jobs.countByGroup("none"), { pending: 0, done: 0, failed: 0 });
        await store.jobs.enqueue([
          { queue: "delivery", payload: 1, runAt: at(0), groupKey: "a" },
          { queue: "delivery", payload: 2, runAt: at(1), groupKey: "a" },
          { queue: "delivery", payload: 3, runAt: at(2), groupKey: "a" },
          { queue: "delivery", payload: 4, runAt: at(3), groupKey: "b" },
        ]);
        const [first, second] = await store.jobs.claim(claimParams({ limit: 2 }));
        await store.jobs.complete(first!.id, NOW);
        await store.jobs.fail(second!.id, { error: "no" });
        assert.deepEqual(await store.jobs.countByGroup("a"), { pending: 1, done: 1, failed: 1 });
        assert.deepEqual(await store.jobs.countByGroup("b"), { pending: 1, done: 0, failed: 0 });
        assert.deepEqual(await store.jobs.counts(), { pending: 2, done: 1, failed: 1 });
      }));

    test("purge deletes old finished jobs, and failed ones only when asked", () =>
      withStore(open, async (store) => {
        await store.jobs.enqueue([
          { queue: "delivery", payload: "old", runAt: at(0) },
          { queue: "delivery", payload: "recent", runAt: at(1) },
          { queue: "delivery", payload: "failed", runAt: at(2) },
          { queue: "delivery", payload: "pending", runAt: at(3) },
        ]);
        const [old, recent, failed] = await store.jobs.claim(claimParams({ limit: 3 }));
        await store.jobs.complete(old!.id, new Date(at(10)));
        await store.jobs.complete(recent!.id, new Date(at(30)));
        await store.jobs.fail(failed!.id, { error: "x" });
        assert.equal(await store.jobs.purge({ olderThan: at(20) }), 1);
        assert.equal(await store.jobs.get(old!.id), null);
        assert.notEqual(await store.jobs.get(recent!.id), null);
        const farFuture = new Date(Date.now() + 365 * 24 * 3600_000).toISOString();
        assert.equal(await store.jobs.purge({ olderThan: farFuture }), 1);
        assert.notEqual(await store.jobs.get(failed!.id), null);
        assert.equal(await store.jobs.purge({ olderThan: farFuture, includeFailed: true }), 1);
        assert.equal(await store.jobs.get(failed!.id), null);
        assert.deepEqual(await store.jobs.counts(), { pending: 1, done: 0, failed: 0 });
      }));

    test("concurrent claims never hand out the same job twice", () =>
      withStore(open, async (store) => {
        const total = 60;
        await store.jobs.enqueue(Array.from({ length: total }, (_, i) => ({ queue: "delivery", payload: i, runAt: at(0) })));
        const batches = await Promise.all(
          Array.from({ length: 6 }, (_, w) => store.jobs.claim(claimParams({ workerId: `worker-${w}`, limit: 15 }))),
        );
        const ids = batches.flat().map((job) => job.id);
        assert.equal(new Set(ids).size, ids.length, "a job was claimed twice");
        const rest = await store.jobs.claim(claimParams({ workerId: "sweeper", limit: total }));
        const all = new Set([...ids, ...rest.map((job) => job.id)]);
        assert.equal(all.size, ids.length + rest.length, "a job was claimed twice");
        assert.equal(all.size, total);
      }));
  });
}
