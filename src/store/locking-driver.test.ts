import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createSqlStore, sqlStoreSiblingOf, type SqlStore } from "./sql-store.ts";

const tempRoot = mkdtempSync(join(tmpdir(), "outpost-locking-"));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

/** A store on a fresh file and a second store on the same file, as another thread would open it. */
async function twoConnections(name: string): Promise<{ first: SqlStore; second: SqlStore }> {
  const first = await createSqlStore({ url: join(tempRoot, `${name}.sqlite`) });
  const buffer = sqlStoreSiblingOf(first)?.params.writeLockBuffer;
  assert.ok(buffer !== undefined, "a SQLite file store hands out its write lock");
  const second = await createSqlStore({ url: join(tempRoot, `${name}.sqlite`), writeLock: { buffer, slot: 1 } });
  return { first, second };
}

function job(dedupeKey: string) {
  return { queue: "test", payload: { dedupeKey }, dedupeKey };
}

describe("stores of one file sharing the thread write lock", () => {
  it("make a writer wait for the other's transaction without stopping the event loop", async () => {
    const { first, second } = await twoConnections("wait");
    try {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const transaction = first.transaction(async (tx) => {
        await tx.jobs.enqueue([job("inside-1")]);
        await gate;
        await tx.jobs.enqueue([job("inside-2")]);
      });
      // Let the transaction begin and take the lock.
      await new Promise((resolve) => setTimeout(resolve, 10));
      let written = false;
      const write = second.jobs.enqueue([job("outside")]).then((queued) => {
        written = true;
        return queued;
      });
      // SQLite's busy handler would hold this thread here; with the lock, timers keep firing.
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      await new Promise((resolve) => setTimeout(resolve, 100));
      clearInterval(ticker);
      assert.ok(ticks >= 5, `the event loop kept running (${ticks} ticks)`);
      assert.equal(written, false, "the second store waits while the first holds the lock");
      open();
      await transaction;
      assert.equal(await write, 1);
      const keys = (await first.db.selectFrom("jobs").select("dedupe_key").orderBy("dedupe_key").execute()).map((row) => row.dedupe_key);
      assert.deepEqual(keys, ["inside-1", "inside-2", "outside"]);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it("let the other store write once a transaction is rolled back", async () => {
    const { first, second } = await twoConnections("rollback");
    try {
      await assert.rejects(
        first.transaction(async (tx) => {
          await tx.jobs.enqueue([job("lost")]);
          throw new Error("changed my mind");
        }),
        /changed my mind/,
      );
      assert.equal(await second.jobs.enqueue([job("kept")]), 1);
      const keys = (await second.db.selectFrom("jobs").select("dedupe_key").execute()).map((row) => row.dedupe_key);
      assert.deepEqual(keys, ["kept"]);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it("is not made for a database in memory, which no other thread can open", async () => {
    const store = await createSqlStore({ url: ":memory:" });
    try {
      assert.equal(sqlStoreSiblingOf(store), undefined);
    } finally {
      await store.close();
    }
  });
});
