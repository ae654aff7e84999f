import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { CompiledQuery, type KyselyPlugin, type RootOperationNode } from "kysely";
import { openTestStore, type TestStore } from "../../test/support/test-store.ts";
import { createJobRepository } from "./job-repository.ts";
import { claimJobs } from "./job-statements.ts";

const stores: TestStore[] = [];
after(async () => {
  for (const store of stores) await store.close();
});

/** SQLite's plan of every statement `call` runs. */
async function plansOf(store: TestStore, call: (db: TestStore["db"]) => Promise<unknown>): Promise<string[]> {
  const captured: RootOperationNode[] = [];
  const capture: KyselyPlugin = {
    transformQuery: (args) => (captured.push(args.node), args.node),
    transformResult: async (args) => args.result,
  };
  await call(store.db.withPlugin(capture));
  const details: string[] = [];
  for (const node of captured) {
    const statement = store.db.getExecutor().compileQuery(node, { queryId: "plan" });
    const plan = await store.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${statement.sql}`, [...statement.parameters]),
    );
    details.push(...plan.rows.map((row) => row.detail));
  }
  return details;
}

// PostgreSQL's plans are checked with the other hot queries in test/scale/query-plans.test.ts.
describe("the claim statement on SQLite", () => {
  it("walks jobs_claim in order, reading neither the rows it skips nor sorting the backlog", async () => {
    const store = await openTestStore({ backend: "sqlite" });
    stores.push(store);
    await store.jobs.enqueue(Array.from({ length: 500 }, (_, i) => ({ queue: i % 2 === 0 ? "inbox" : "delivery", payload: i })));
    const now = new Date(Date.now() + 1000).toISOString();
    const details = await plansOf(store, async (db) => {
      const claimed = await claimJobs(db, { dialect: "sqlite", queues: ["inbox"], limit: 8, workerId: "w", at: now, lockedUntil: now });
      assert.equal(claimed.length, 8);
    });
    assert.ok(details.some((detail) => /USING COVERING INDEX jobs_claim/.test(detail)), details.join("; "));
    assert.ok(!details.some((detail) => /TEMP B-TREE/.test(detail)), details.join("; "));
  });
});

describe("the job indexes on SQLite", () => {
  it("a publication's delivery progress is counted through jobs_group, and old finished jobs are purged through jobs_finished", async () => {
    const store = await openTestStore({ backend: "sqlite" });
    stores.push(store);
    await store.jobs.enqueue([
      { queue: "delivery", payload: 1, groupKey: "https://outpost.test/activities/1" },
      { queue: "delivery", payload: 2, groupKey: "https://outpost.test/activities/1" },
      { queue: "inbox", payload: 3 },
    ]);
    const progress = await plansOf(store, (db) => createJobRepository(db, "sqlite").countByGroup("https://outpost.test/activities/1"));
    assert.ok(progress.some((detail) => /USING (COVERING )?INDEX jobs_group \(group_key=\?\)/.test(detail)), progress.join("; "));
    const purge = await plansOf(store, (db) =>
      createJobRepository(db, "sqlite").purge({ olderThan: new Date().toISOString(), includeFailed: true }),
    );
    assert.ok(purge.some((detail) => /USING (COVERING )?INDEX jobs_finished/.test(detail)), purge.join("; "));
    assert.deepEqual(await store.jobs.countByGroup("https://outpost.test/activities/1"), { pending: 2, done: 0, failed: 0 });
  });
});
