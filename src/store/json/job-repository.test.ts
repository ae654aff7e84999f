import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareForClaim, isClaimable } from "./job-repository.ts";
import type { JobRow } from "./tables.ts";

const AT = "2024-01-01T01:00:00.000Z";

function job(overrides: Partial<JobRow> = {}): JobRow {
  return {
    seq: 1,
    id: "j",
    queue: "deliver",
    payload: null,
    status: "pending",
    attempts: 0,
    runAt: "2024-01-01T00:00:00.000Z",
    createdAt: "2024-01-01T00:00:00.000Z",
    lastError: null,
    dedupeKey: null,
    groupKey: null,
    finishedAt: null,
    lockedBy: null,
    lockedUntil: null,
    ...overrides,
  };
}

describe("job claim policy", () => {
  const queues = new Set(["deliver"]);

  test("a due pending job of an asked queue without a lease is claimable", () => {
    assert.equal(isClaimable({ job: job(), queues, at: AT }), true);
    assert.equal(isClaimable({ job: job({ runAt: AT }), queues, at: AT }), true, "due exactly now");
  });

  test("a job not yet due, finished, of another queue or under a live lease is not", () => {
    assert.equal(isClaimable({ job: job({ runAt: "2024-01-01T01:00:00.001Z" }), queues, at: AT }), false);
    assert.equal(isClaimable({ job: job({ status: "done" }), queues, at: AT }), false);
    assert.equal(isClaimable({ job: job({ status: "failed" }), queues, at: AT }), false);
    assert.equal(isClaimable({ job: job({ queue: "inbox" }), queues, at: AT }), false);
    assert.equal(isClaimable({ job: job({ lockedBy: "w", lockedUntil: AT }), queues, at: AT }), false, "lease ends after now");
  });

  test("a lapsed lease is as good as none", () => {
    assert.equal(isClaimable({ job: job({ lockedBy: "w", lockedUntil: "2024-01-01T00:59:59.999Z" }), queues, at: AT }), true);
  });

  test("claims go by due time, then queueing time, then queue order", () => {
    const late = job({ id: "late", runAt: "2024-01-01T00:30:00.000Z", seq: 1 });
    const early = job({ id: "early", runAt: "2024-01-01T00:10:00.000Z", seq: 2 });
    const sameTimeFirst = job({ id: "first", runAt: late.runAt, createdAt: "2023-12-31T00:00:00.000Z", seq: 3 });
    const sameTimeSecond = job({ id: "second", runAt: late.runAt, createdAt: late.createdAt, seq: 4 });
    const sorted = [sameTimeSecond, late, early, sameTimeFirst].sort(compareForClaim);
    assert.deepEqual(sorted.map((row) => row.id), ["early", "first", "late", "second"]);
  });
});
