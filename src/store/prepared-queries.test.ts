import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { openTestStore, type TestStore } from "../../test/support/test-store.ts";
import { createPreparedQueries, prepareQuery, rowArguments, rowOfArguments } from "./prepared-queries.ts";

const stores: TestStore[] = [];
after(async () => {
  for (const store of stores) await store.close();
});

async function open(): Promise<TestStore> {
  const store = await openTestStore();
  stores.push(store);
  return store;
}

type BlockInsert = { actor_uri: string; target_uri: string; activity_uri: string; created_at: string };
const BLOCK_COLUMNS: readonly (keyof BlockInsert & string)[] = ["actor_uri", "target_uri", "activity_uri", "created_at"];

const upsertBlock = prepareQuery<unknown[], unknown>(BLOCK_COLUMNS.length, (db, args) => {
  const { actor_uri, target_uri, ...changes } = rowOfArguments<BlockInsert>(BLOCK_COLUMNS, args);
  return db
    .insertInto("blocks")
    .values({ actor_uri, target_uri, ...changes })
    .onConflict((oc) => oc.columns(["actor_uri", "target_uri"]).doUpdateSet(changes));
});
// The target is a constant of the query: only the actor is an argument.
const blockedByOf = prepareQuery<[string], { target_uri: string; activity_uri: string }>(1, (db, [actorUri]) =>
  db
    .selectFrom("blocks")
    .select(["target_uri", "activity_uri"])
    .where("actor_uri", "=", actorUri)
    .where("target_uri", "!=", "https://constant.example/nobody"),
);

const block = (actor: string, target: string, activity: string): BlockInsert => ({
  actor_uri: actor,
  target_uri: target,
  activity_uri: activity,
  created_at: "2026-01-01T00:00:00.000Z",
});

describe("prepared queries", () => {
  it("run with each call's arguments, also where one argument appears twice", async () => {
    const store = await open();
    const prepared = createPreparedQueries();
    await prepared.execute(store.db, upsertBlock, rowArguments(BLOCK_COLUMNS, block("https://a.example/1", "https://b.example/1", "https://a.example/block/1")));
    await prepared.execute(store.db, upsertBlock, rowArguments(BLOCK_COLUMNS, block("https://a.example/2", "https://b.example/2", "https://a.example/block/2")));
    // The conflict's update takes the same arguments as the insert.
    await prepared.execute(store.db, upsertBlock, rowArguments(BLOCK_COLUMNS, block("https://a.example/1", "https://b.example/1", "https://a.example/block/3")));
    const first = await prepared.execute(store.db, blockedByOf, ["https://a.example/1"]);
    const second = await prepared.execute(store.db, blockedByOf, ["https://a.example/2"]);
    assert.deepEqual(first.rows.map((row) => ({ ...row })), [{ target_uri: "https://b.example/1", activity_uri: "https://a.example/block/3" }]);
    assert.deepEqual(second.rows.map((row) => ({ ...row })), [{ target_uri: "https://b.example/2", activity_uri: "https://a.example/block/2" }]);
  });

  it("run inside a transaction, and roll back with it", async () => {
    const store = await open();
    const prepared = createPreparedQueries();
    await prepared.execute(store.db, blockedByOf, ["https://a.example/1"]);
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await prepared.execute(trx, upsertBlock, rowArguments(BLOCK_COLUMNS, block("https://a.example/1", "https://b.example/1", "https://a.example/block/1")));
        assert.equal((await prepared.execute(trx, blockedByOf, ["https://a.example/1"])).rows.length, 1);
        throw new Error("roll back");
      }),
      /roll back/,
    );
    assert.deepEqual((await prepared.execute(store.db, blockedByOf, ["https://a.example/1"])).rows, []);
  });

  it("refuse a definition that does not pass an argument through as a parameter", async () => {
    const store = await open();
    const prepared = createPreparedQueries();
    const dropsItsArgument = prepareQuery<[string], unknown>(1, (db) => db.selectFrom("blocks").select("actor_uri"));
    await assert.rejects(prepared.execute(store.db, dropsItsArgument, ["x"]), /argument 0 is not a parameter of: select/);
  });
});
