import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { openTestStore, type TestStore } from "../../../test/support/test-store.ts";
import { follow, localActor } from "../contract/fixtures.ts";
import { importStore } from "./import-store.ts";
import { bodyOf, captureDump, linesOf, localUri, remoteUri, seedInstance } from "./transfer.test-support.ts";

const stores: TestStore[] = [];
after(async () => {
  for (const store of stores) await store.close();
});

async function freshStore(): Promise<TestStore> {
  const store = await openTestStore();
  stores.push(store);
  return store;
}

async function seededDump(): Promise<string> {
  const source = await freshStore();
  await seedInstance(source);
  return (await captureDump({ store: source })).text;
}

describe("importStore", () => {
  it("refuses a store that already holds data, and with force replaces it", async () => {
    const dump = await seededDump();
    const target = await freshStore();
    await target.actors.put(localActor("zoe"));
    const refused = await importStore({ store: target, lines: linesOf(dump) });
    assert.equal(refused.ok ? "ok" : refused.reason, "notEmpty");
    assert.match(refused.ok ? "" : refused.message, /actors/);
    assert.notEqual(await target.actors.get(localUri("zoe")), null, "a refused import changes nothing");
    const forced = await importStore({ store: target, lines: linesOf(dump), force: true });
    assert.ok(forced.ok);
    assert.equal(await target.actors.get(localUri("zoe")), null);
    assert.equal(bodyOf((await captureDump({ store: target })).text), bodyOf(dump));
  });

  it("loads nothing from a dump cut short", async () => {
    const dump = await seededDump();
    const lines = dump.trimEnd().split("\n");
    const cut = lines.slice(0, Math.floor(lines.length * 0.8)).join("\n");
    const target = await freshStore();
    const result = await importStore({ store: target, lines: linesOf(cut) });
    assert.equal(result.ok ? "ok" : result.reason, "badDump");
    assert.deepEqual(await target.jobs.counts(), { pending: 0, done: 0, failed: 0 });
    assert.equal(await target.actors.get(localUri("alice")), null);
  });

  it("refuses what is not a dump, and a dump of a newer Outpost or with tables this one lacks", async () => {
    const target = await freshStore();
    const notADump = await importStore({ store: target, lines: linesOf('{"hello":"world"}\n') });
    assert.equal(notADump.ok ? "ok" : notADump.reason, "badDump");
    const dump = await seededDump();
    const [header = "", ...rest] = dump.split("\n");
    const newer = JSON.stringify({ ...JSON.parse(header), migrations: ["0001-initial", "9999-future"] });
    const fromFuture = await importStore({ store: target, lines: linesOf([newer, ...rest].join("\n")) });
    assert.equal(fromFuture.ok ? "ok" : fromFuture.reason, "incompatible");
    assert.match(fromFuture.ok ? "" : fromFuture.message, /9999-future/);
    const strangeTable = dump.replace('{"table":"webfinger_cache"', '{"table":"no_such_table"');
    const withStrangeTable = await importStore({ store: target, lines: linesOf(strangeTable) });
    assert.equal(withStrangeTable.ok ? "ok" : withStrangeTable.reason, "incompatible");
    assert.equal(await target.actors.get(localUri("alice")), null);
  });

  it("lets the imported instance carry on: new rows sort after the imported ones", async () => {
    const target = await freshStore();
    assert.ok((await importStore({ store: target, lines: linesOf(await seededDump()) })).ok);
    await target.actors.put(localActor("frank"));
    await target.follows.put(follow(localUri("frank"), localUri("alice")));
    const followers = await target.follows.listFollowers(localUri("alice"), "accepted", { limit: 10 });
    assert.deepEqual(
      followers.items.map((item) => item.followerUri),
      [localUri("frank"), remoteUri("carol")],
    );
  });
});
