import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import { openTestStore, type TestStore } from "../../test/support/test-store.ts";
import { waitFor } from "../../test/support/wait-for.ts";
import { createSqlRateLimitCounter, sharedRateLimitCounterOf } from "./rate-limit-repository.ts";

const stores: TestStore[] = [];
after(async () => {
  for (const store of stores) await store.close();
});

async function freshStore(): Promise<TestStore> {
  const store = await openTestStore();
  stores.push(store);
  return store;
}

const T0 = Date.parse("2026-03-01T12:00:00Z");
const at = (ms: number) => new Date(T0 + ms);

describe("the SQL rate-limit counter", () => {
  it("admits a burst of `limit`, refuses the next with the wait until one more fits, and refills over the window", async () => {
    const store = await freshStore();
    const counter = createSqlRateLimitCounter({ db: store.db });
    const hit = (ms: number) => counter.hit("inbox:192.0.2.1", { limit: 3, windowMs: 3000, now: at(ms) });
    assert.equal((await hit(0)).allowed, true);
    assert.equal((await hit(0)).allowed, true);
    assert.equal((await hit(0)).allowed, true);
    const refused = await hit(0);
    assert.equal(refused.allowed, false);
    assert.equal(refused.retryAfterMs, 1000);
    assert.equal((await hit(400)).allowed, false, "not yet: one request refills in a third of the window");
    assert.equal((await hit(1000)).allowed, true);
    assert.equal((await hit(1000)).allowed, false);
    // After a whole window the bucket is full again: another burst of three.
    for (let i = 0; i < 3; i++) assert.equal((await hit(10_000)).allowed, true);
    assert.equal((await hit(10_000)).allowed, false);
  });

  it("counts each key apart", async () => {
    const store = await freshStore();
    const counter = createSqlRateLimitCounter({ db: store.db });
    const params = { limit: 1, windowMs: 60_000, now: at(0) };
    assert.equal((await counter.hit("webfinger:a", params)).allowed, true);
    assert.equal((await counter.hit("webfinger:a", params)).allowed, false);
    assert.equal((await counter.hit("webfinger:b", params)).allowed, true);
    assert.equal((await counter.hit("inbox:a", params)).allowed, true);
  });

  it("never admits more than the limit when many requests race on one key", async () => {
    const store = await freshStore();
    // Two counters over one database stand for two web processes.
    const counters = [createSqlRateLimitCounter({ db: store.db }), createSqlRateLimitCounter({ db: store.db })];
    const verdicts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => counters[i % 2]!.hit("inbox:198.51.100.7", { limit: 10, windowMs: 60_000, now: at(0) })),
    );
    assert.equal(verdicts.filter((verdict) => verdict.allowed).length, 10);
  });

  it("deletes rows whose buckets are full again, now and then", async () => {
    const store = await freshStore();
    const counter = createSqlRateLimitCounter({ db: store.db, purgeEveryMs: 1000 });
    await counter.hit("a", { limit: 5, windowMs: 500, now: at(0) });
    await counter.hit("b", { limit: 5, windowMs: 500, now: at(0) });
    const rows = async () =>
      (await sql<{ key: string }>`select key from rate_limits order by key`.execute(store.db)).rows.map((row) => row.key);
    assert.deepEqual(await rows(), ["a", "b"]);
    // An hour later, the next hit purges the stale rows (in the background) and keeps its own.
    await counter.hit("c", { limit: 5, windowMs: 500, now: at(3_600_000) });
    await counter.hit("c", { limit: 5, windowMs: 500, now: at(3_600_001) });
    const keys = await waitFor(async () => {
      const current = await rows();
      return current.length === 1 ? current : undefined;
    }, { message: "the background purge" });
    assert.deepEqual(keys, ["c"]);
  });
});

describe("sharedRateLimitCounterOf", () => {
  it("shares the database's counter only on PostgreSQL, where several processes may serve one instance", async () => {
    const store = await freshStore();
    const shared = sharedRateLimitCounterOf({ store });
    assert.equal(shared !== undefined, store.dialect === "postgres");
  });
});
