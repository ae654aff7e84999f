import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { sql, type KyselyPlugin } from "kysely";
import { openTestStore, type TestStore } from "../../test/support/test-store.ts";
import { createEnqueueGroup, type EnqueueGroupOptions } from "./job-enqueue-group.ts";
import type { JobInsertRow } from "./job-statements.ts";

const stores: TestStore[] = [];
after(async () => {
  for (const store of stores) await store.close();
});

async function open(options: EnqueueGroupOptions = {}) {
  const store = await openTestStore();
  stores.push(store);
  let statements = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => (statements++, args.node),
    transformResult: async (args) => args.result,
  };
  return { store, enqueue: createEnqueueGroup(store.db.withPlugin(counter), options), statements: () => statements };
}

function row(overrides: Partial<JobInsertRow> = {}): JobInsertRow {
  const now = new Date().toISOString();
  return { id: randomUUID(), queue: "inbox", payload: "{}", runAt: now, createdAt: now, dedupeKey: null, groupKey: null, ...overrides };
}

async function pendingJobs(store: TestStore): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from jobs`.execute(store.db);
  return Number(rows[0]?.n);
}

describe("createEnqueueGroup", () => {
  it("writes calls made together in one statement, and tells each how many of its rows were queued", async () => {
    const { store, enqueue, statements } = await open();
    const results = await Promise.all([
      enqueue([row({ dedupeKey: "a" })]),
      enqueue([row({ dedupeKey: "a" }), row({ dedupeKey: "b" })]),
      enqueue([row(), row(), row()]),
      enqueue([row({ dedupeKey: "b" })]),
    ]);
    assert.deepEqual(results, [1, 1, 3, 0]);
    assert.equal(statements(), 1);
    assert.equal(await pendingJobs(store), 5);
  });

  it("commits more rows than one statement takes together", async () => {
    const { store, enqueue } = await open({ flushRows: Number.POSITIVE_INFINITY });
    const results = await Promise.all([
      enqueue(Array.from({ length: 200 }, () => row())),
      enqueue(Array.from({ length: 200 }, () => row())),
    ]);
    assert.deepEqual(results, [200, 200]);
    assert.equal(await pendingJobs(store), 400);
  });

  it("rejects every call of a batch that fails, and queues none of it", async () => {
    const { store, enqueue } = await open({ flushRows: Number.POSITIVE_INFINITY });
    const broken = row({ queue: null as unknown as string });
    const outcomes = await Promise.allSettled([
      enqueue([row({ dedupeKey: "innocent" })]),
      enqueue(Array.from({ length: 300 }, () => row())),
      enqueue([broken]),
    ]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status), ["rejected", "rejected", "rejected"]);
    assert.equal(await pendingJobs(store), 0);
    // The next batch is written as usual.
    assert.equal(await enqueue([row({ dedupeKey: "innocent" })]), 1);
  });

  it("writes a batch once it holds enough rows, without waiting for the end of the turn", async () => {
    const { store, enqueue, statements } = await open({ flushRows: 2 });
    // The second call fills the first batch; the calls after it make up the next one.
    const outcomes = await Promise.allSettled([
      enqueue([row()]),
      enqueue([row({ queue: null as unknown as string })]),
      enqueue([row()]),
      enqueue([row(), row()]),
    ]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status), ["rejected", "rejected", "fulfilled", "fulfilled"]);
    assert.equal(statements(), 2);
    assert.equal(await pendingJobs(store), 3);
  });

  it("is not used by enqueues inside a transaction, even through the outer store: they commit or roll back with it", async () => {
    const { store } = await open();
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.jobs.enqueue([{ queue: "inbox", payload: 1 }]);
        await store.jobs.enqueue([{ queue: "inbox", payload: 2 }]);
        throw new Error("roll back");
      }),
      /roll back/,
    );
    assert.equal(await pendingJobs(store), 0);
    await store.transaction(async () => {
      assert.equal(await store.jobs.enqueue([{ queue: "inbox", payload: 3 }]), 1);
    });
    assert.equal(await pendingJobs(store), 1);
  });
});
