import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createTestContext } from "../../../test/support/federation-context.ts";
import {
  HOST_BASE_BACKOFF_MS,
  HOST_FAILURE_THRESHOLD,
  HOST_MAX_BACKOFF_MS,
  hostBackoffUntil,
  hostStatus,
  recordHostFailure,
  recordHostSuccess,
} from "./host-breaker.ts";

const at = new Date("2025-03-01T12:00:00Z");

describe("hostBackoffUntil", () => {
  const table: { failures: number; delayMs: number | null }[] = [
    { failures: 1, delayMs: null },
    { failures: HOST_FAILURE_THRESHOLD - 1, delayMs: null },
    { failures: HOST_FAILURE_THRESHOLD, delayMs: HOST_BASE_BACKOFF_MS },
    { failures: HOST_FAILURE_THRESHOLD + 1, delayMs: 2 * HOST_BASE_BACKOFF_MS },
    { failures: HOST_FAILURE_THRESHOLD + 3, delayMs: 8 * HOST_BASE_BACKOFF_MS },
    { failures: HOST_FAILURE_THRESHOLD + 100, delayMs: HOST_MAX_BACKOFF_MS },
  ];
  for (const row of table) {
    it(`after ${row.failures} failure(s) backs off for ${row.delayMs ?? "no"} ms`, () => {
      const until = hostBackoffUntil({ failures: row.failures, lastFailureAt: at });
      assert.equal(until === null ? null : until.getTime() - at.getTime(), row.delayMs);
    });
  }
});

describe("host health", () => {
  let clock = at;
  const contexts: { store: { close(): Promise<void> } }[] = [];
  after(async () => {
    for (const ctx of contexts) await ctx.store.close();
  });

  it("opens the breaker after consecutive failures and closes it on success", async () => {
    const ctx = await createTestContext({ now: () => clock });
    contexts.push(ctx);
    for (let i = 1; i < HOST_FAILURE_THRESHOLD; i++) {
      assert.deepEqual(await recordHostFailure(ctx, { host: "down.example" }), { open: true });
    }
    const tripped = await recordHostFailure(ctx, { host: "Down.Example" });
    assert.equal(tripped.open, false);
    assert.deepEqual(await hostStatus(ctx, { host: "down.example" }), tripped);
    assert.deepEqual(await hostStatus(ctx, { host: "other.example" }), { open: true });

    clock = new Date(at.getTime() + HOST_BASE_BACKOFF_MS + 1);
    assert.deepEqual(await hostStatus(ctx, { host: "down.example" }), { open: true });

    await recordHostSuccess(ctx, { host: "down.example" });
    for (let i = 1; i < HOST_FAILURE_THRESHOLD; i++) await recordHostFailure(ctx, { host: "down.example" });
    assert.deepEqual(await hostStatus(ctx, { host: "down.example" }), { open: true });
  });
});
