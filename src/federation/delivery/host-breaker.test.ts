import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createTestContext } from "../../../test/support/federation-context.ts";
import {
  HOST_BASE_BACKOFF_MS,
  HOST_FAILURE_THRESHOLD,
  HOST_HEALTH_MEMORY_MS,
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

  it("sees another process's backoff once its memory of the host lapses", async () => {
    let now = at;
    const ctx = await createTestContext({ now: () => now });
    contexts.push(ctx);
    assert.deepEqual(await hostStatus(ctx, { host: "shared.example" }), { open: true });
    // Another process sharing the store backs the host off.
    const until = new Date(at.getTime() + HOST_BASE_BACKOFF_MS * 4).toISOString();
    for (let i = 0; i < HOST_FAILURE_THRESHOLD; i++) {
      await ctx.store.hosts.recordFailure("shared.example", { at: at.toISOString(), backoffUntil: until });
    }
    now = new Date(at.getTime() + HOST_HEALTH_MEMORY_MS - 1);
    assert.deepEqual(await hostStatus(ctx, { host: "shared.example" }), { open: true });
    now = new Date(at.getTime() + HOST_HEALTH_MEMORY_MS);
    assert.equal((await hostStatus(ctx, { host: "shared.example" })).open, false);
  });

  it("counts failures in the store, with those of other processes", async () => {
    const ctx = await createTestContext({ now: () => at });
    contexts.push(ctx);
    assert.deepEqual(await hostStatus(ctx, { host: "flaky.example" }), { open: true });
    for (let i = 1; i < HOST_FAILURE_THRESHOLD; i++) {
      await ctx.store.hosts.recordFailure("flaky.example", { at: at.toISOString(), backoffUntil: null });
    }
    // This process's first failure there is the threshold-th in the store: the host is backed off at once.
    assert.equal((await recordHostFailure(ctx, { host: "flaky.example" })).open, false);
    assert.equal((await hostStatus(ctx, { host: "flaky.example" })).open, false);
    assert.equal((await ctx.store.hosts.get("flaky.example"))?.failures, HOST_FAILURE_THRESHOLD);
  });

  it("writes a success only when it ends a run of failures", async () => {
    const ctx = await createTestContext({ now: () => at });
    contexts.push(ctx);
    await recordHostSuccess(ctx, { host: "fine.example" });
    assert.equal(await ctx.store.hosts.get("fine.example"), null);
    await recordHostFailure(ctx, { host: "fine.example" });
    await recordHostSuccess(ctx, { host: "fine.example" });
    assert.equal((await ctx.store.hosts.get("fine.example"))?.failures, 0);
    // A later failure starts counting from zero again.
    await recordHostFailure(ctx, { host: "fine.example" });
    assert.equal((await ctx.store.hosts.get("fine.example"))?.failures, 1);
  });
});
