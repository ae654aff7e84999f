import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JobSettlement } from "../../store/store.ts";
import { createSettlementBuffer } from "./settlement-buffer.ts";

function done(id: string): JobSettlement {
  return { id, kind: "done" };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("createSettlementBuffer", () => {
  it("writes the outcomes added together in one batch", async () => {
    const writes: string[][] = [];
    const buffer = createSettlementBuffer({
      write: async (batch) => void writes.push(batch.map((s) => s.id)),
      onError: () => assert.fail("no error expected"),
    });
    buffer.add(done("a"));
    buffer.add({ id: "b", kind: "retry", runAt: "2026-01-01T00:00:00.000Z", error: "503" });
    buffer.add({ id: "c", kind: "fail", error: "410" });
    assert.equal(buffer.size, 3);
    await buffer.flush();
    assert.deepEqual(writes, [["a", "b", "c"]]);
    assert.equal(buffer.size, 0);
  });

  it("writes on its own after a short delay", async () => {
    const written = deferred();
    const buffer = createSettlementBuffer({ write: async () => written.resolve(), onError: () => {}, delayMs: 1 });
    buffer.add(done("a"));
    await written.promise;
  });

  it("collects what is added during a write into the next batch", async () => {
    const writes: string[][] = [];
    const gate = deferred();
    const buffer = createSettlementBuffer({
      write: async (batch) => {
        writes.push(batch.map((s) => s.id));
        if (writes.length === 1) await gate.promise;
      },
      onError: () => assert.fail("no error expected"),
      maxBatch: 2,
    });
    buffer.add(done("a"));
    buffer.add(done("b")); // a full batch: written at once
    buffer.add(done("c"));
    buffer.add(done("d"));
    buffer.add(done("e"));
    assert.equal(buffer.size, 5);
    const flushed = buffer.flush();
    gate.resolve();
    await flushed;
    assert.deepEqual(writes, [["a", "b"], ["c", "d", "e"]]);
  });

  it("reports a batch it could not write and carries on", async () => {
    const failed: string[][] = [];
    const writes: string[][] = [];
    const buffer = createSettlementBuffer({
      write: async (batch) => {
        if (batch.some((s) => s.id === "bad")) throw new Error("database unavailable");
        writes.push(batch.map((s) => s.id));
      },
      onError: (_error, batch) => void failed.push(batch.map((s) => s.id)),
    });
    buffer.add(done("bad"));
    await buffer.flush();
    assert.equal(buffer.size, 0);
    buffer.add(done("good"));
    await buffer.flush();
    assert.deepEqual(failed, [["bad"]]);
    assert.deepEqual(writes, [["good"]]);
  });
});
