import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { openTestStore, type TestStore } from "../../../test/support/test-store.ts";
import { DUMP_FORMAT } from "./dump-format.ts";
import { importStore } from "./import-store.ts";
import { bodyOf, captureDump, linesOf, localUri, MANY, remoteUri, seedInstance } from "./transfer.test-support.ts";

const stores: TestStore[] = [];
after(async () => {
  for (const store of stores) await store.close();
});

async function freshStore(): Promise<TestStore> {
  const store = await openTestStore();
  stores.push(store);
  return store;
}

describe("exportStore", () => {
  it("writes a header, every table with its columns and rows, and a closing line with the counts", async () => {
    const store = await freshStore();
    await seedInstance(store);
    const { result, text } = await captureDump({ store });
    assert.ok(result.ok);
    const lines = text.trimEnd().split("\n").map((line) => JSON.parse(line) as unknown);
    const header = lines[0] as { format: string; migrations: string[]; actors: unknown };
    assert.equal(header.format, DUMP_FORMAT);
    assert.ok(header.migrations.includes("0001-initial"));
    assert.equal(header.actors, null);
    const end = lines.at(-1) as { end: boolean; rows: Record<string, number> };
    assert.equal(end.end, true);
    assert.equal(end.rows.jobs, MANY);
    assert.equal(end.rows.idempotency_keys, 600);
    assert.equal(end.rows.actors, 5);
    const tables = lines.filter((line): line is { table: string } => typeof line === "object" && line !== null && "table" in line);
    assert.ok(tables.some((line) => line.table === "follows"));
    assert.ok(!tables.some((line) => line.table.startsWith("kysely_")), "the migrator's bookkeeping stays with the database");
  });

  it("round-trips every row, seq numbers included, through an import into an empty store", async () => {
    const source = await freshStore();
    await seedInstance(source);
    const first = await captureDump({ store: source });
    const target = await freshStore();
    const imported = await importStore({ store: target, lines: linesOf(first.text) });
    assert.ok(imported.ok, imported.ok ? "" : imported.message);
    const second = await captureDump({ store: target });
    assert.equal(bodyOf(second.text), bodyOf(first.text));
    // Lists still come out newest first, and the queue still holds the fan-out.
    const followers = await target.follows.listFollowers(localUri("alice"), "accepted", { limit: 10 });
    assert.deepEqual(followers.items.map((item) => item.followerUri), [remoteUri("carol")]);
    const outbox = await target.activities.listByActor(localUri("alice"), { visibilities: ["public"] }, { limit: 2 });
    assert.deepEqual(outbox.items.map((item) => item.uri), [`${localUri("alice")}/activities/4`, `${localUri("alice")}/activities/3`]);
    assert.deepEqual(await target.jobs.countByGroup(`${localUri("alice")}/activities/4`), { pending: MANY, done: 0, failed: 0 });
  });

  it("limited to some local actors, carries theirs and their counterparts, and nothing of the other local actors", async () => {
    const store = await freshStore();
    await seedInstance(store);
    const { result, text } = await captureDump({ store, actorUris: [localUri("alice")] });
    assert.ok(result.ok);
    assert.ok(text.includes(`"${localUri("alice")}"`));
    assert.ok(text.includes(`"PRIVATE ${localUri("alice")}"`), "alice's key goes with her");
    assert.ok(text.includes(`"${remoteUri("carol")}"`), "a follower's actor record goes along, for deliveries");
    assert.ok(!text.includes(`"PRIVATE ${localUri("bob")}"`), "bob's key stays");
    assert.ok(!text.includes(`${localUri("bob")}/objects/b`), "bob's posts stay");
    assert.ok(!text.includes(remoteUri("erin")), "bob's follower stays");
    assert.equal(result.rows.jobs, MANY);
    assert.ok(result.skipped.some((skipped) => skipped.table === "host_health"));
  });

  it("refuses to limit the dump to an actor that is not local", async () => {
    const store = await freshStore();
    await seedInstance(store);
    const { result, text } = await captureDump({ store, actorUris: [remoteUri("carol")] });
    assert.equal(result.ok ? "ok" : result.reason, "unknownActor");
    assert.equal(text, "");
  });
});
