import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createCommitQueue } from "./commit-queue.ts";
import type { WriteTablesResult } from "./table-files.ts";
import { emptyTables, type TableName, type Tables } from "./tables.ts";

function hostRow(host: string, failures = 1) {
  return { host, failures, lastFailureAt: null, backoffUntil: null };
}

/** A queue whose disk is a list of the writes it was asked for. */
function recordingQueue(result: () => WriteTablesResult = () => ({ ok: true })) {
  const writes: { tables: Tables; changed: readonly TableName[] }[] = [];
  const queue = createCommitQueue({
    initial: emptyTables(),
    persist: async (params) => {
      writes.push(params);
      return result();
    },
  });
  return { queue, writes };
}

describe("commit queue", () => {
  test("changes submitted together are written in one batch, and each caller gets its own result", async () => {
    const { queue, writes } = recordingQueue();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        queue.submit((draft) => {
          draft.put("hostHealth", hostRow(`h${i}.example`));
          return i;
        }),
      ),
    );
    assert.deepEqual(results, Array.from({ length: 50 }, (_, i) => i));
    assert.equal(writes.length, 1);
    assert.deepEqual(writes[0]!.changed, ["hostHealth"]);
    assert.equal(queue.committed().rows.hostHealth.size, 50);
  });

  test("a change that throws is undone alone; the others in its batch land", async () => {
    const { queue } = recordingQueue();
    const outcomes = await Promise.allSettled([
      queue.submit((draft) => draft.put("hostHealth", hostRow("a.example"))),
      queue.submit((draft) => {
        draft.put("hostHealth", hostRow("b.example"));
        draft.put("webfinger", { acct: "x@b.example", actorUri: "https://b.example/x", fetchedAt: "t" });
        throw new Error("no");
      }),
      queue.submit((draft) => draft.put("hostHealth", hostRow("c.example"))),
    ]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status), ["fulfilled", "rejected", "fulfilled"]);
    assert.deepEqual([...queue.committed().rows.hostHealth.keys()].sort(), ["a.example", "c.example"]);
    assert.equal(queue.committed().rows.webfinger.size, 0);
  });

  test("readers see a change only once it is written, and never if writing fails", async () => {
    let fail = true;
    const { queue } = recordingQueue(() =>
      fail ? { ok: false, reason: "not-written", message: "disk full", cause: null } : { ok: true },
    );
    const before = queue.committed();
    await assert.rejects(queue.submit((draft) => draft.put("hostHealth", hostRow("a.example"))), /disk full/);
    assert.equal(queue.committed(), before);
    assert.equal(queue.committed().rows.hostHealth.size, 0);
    fail = false;
    await queue.submit((draft) => draft.put("hostHealth", hostRow("b.example")));
    assert.deepEqual([...queue.committed().rows.hostHealth.keys()], ["b.example"]);
  });

  test("a change that writes nothing does not touch the disk", async () => {
    const { queue, writes } = recordingQueue();
    assert.equal(await queue.submit((draft) => draft.rows("jobs").size), 0);
    assert.equal(writes.length, 0);
  });

  test("a commit stuck after its journal keeps its state and refuses further writes", async () => {
    const { queue } = recordingQueue(() => ({ ok: false, reason: "journaled", message: "reopen", cause: null }));
    await assert.rejects(queue.submit((draft) => draft.put("hostHealth", hostRow("a.example"))), /reopen/);
    assert.equal(queue.committed().rows.hostHealth.size, 1);
    await assert.rejects(queue.submit(() => 1), /must be reopened/);
  });

  test("close waits for queued changes and then refuses new ones", async () => {
    const { queue, writes } = recordingQueue();
    const pending = queue.submit((draft) => draft.put("hostHealth", hostRow("a.example")));
    await queue.close();
    await pending;
    assert.equal(writes.length, 1);
    await assert.rejects(queue.submit(() => 1), /closed/);
  });

  test("the queue is bounded", async () => {
    const queue = createCommitQueue({ initial: emptyTables(), persist: async () => ({ ok: true }), maxQueued: 2 });
    const accepted = [queue.submit(() => 1), queue.submit(() => 2)];
    await assert.rejects(queue.submit(() => 3), /refusing more/);
    assert.deepEqual(await Promise.all(accepted), [1, 2]);
  });
});
