import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openTestStore, type TestStore } from "../../test/support/test-store.ts";
import { at, localActor, localUri, remoteActor, remoteUri } from "./contract/fixtures.ts";
import { createSqlStore, sqlStoreSiblingOf } from "./sql-store.ts";
import type { ActorDocumentVersion } from "./store.ts";

describe("local actor document versions", () => {
  let store: TestStore;
  before(async () => {
    store = await openTestStore();
  });
  after(() => store.close());

  const versionOf = async (username: string): Promise<ActorDocumentVersion> => {
    const version = await store.actors.documentVersion!(username);
    assert.ok(version !== null, `${username} has a version`);
    return version;
  };

  /** Asserts that `write` moves the version of `username`, and returns the new one. */
  const assertMoves = async (username: string, write: () => Promise<unknown>): Promise<ActorDocumentVersion> => {
    const before = await versionOf(username);
    await write();
    const later = await versionOf(username);
    assert.equal(later.uri, before.uri);
    assert.notEqual(later.version, before.version);
    return later;
  };

  test("names local actors only, by username in any case", async () => {
    await store.actors.put(localActor("alice"));
    await store.actors.put(remoteActor("alice"));
    assert.deepEqual((await versionOf("ALICE")).uri, localUri("alice"));
    assert.equal(await store.actors.documentVersion!("nobody"), null);
    assert.equal(await store.actors.documentVersion!(""), null);
  });

  test("stays put while nothing of the actor changes", async () => {
    await store.actors.put(localActor("bob"));
    const first = await versionOf("bob");
    await store.actors.getLocal("bob");
    await store.actors.put(remoteActor("bob", { name: "Another Bob" }));
    await store.keys.put({ keyId: `${remoteUri("bob")}#key`, ownerUri: remoteUri("bob"), publicKeyPem: "pem", privateKeyPem: null });
    await store.actors.put(localActor("someone-else"));
    assert.deepEqual(await versionOf("bob"), first);
  });

  test("moves with every write to the actor's row", async () => {
    await store.actors.put(localActor("carol"));
    await assertMoves("carol", () => store.actors.put(localActor("carol", { name: "Carol Changed" })));
    await assertMoves("carol", () => store.actors.put(localActor("carol", { movedTo: remoteUri("carol") })));
    await assertMoves("carol", () => store.actors.markDeleted(localUri("carol"), at(10)));
    await assertMoves("carol", () =>
      store.db.updateTable("actors").set({ summary: "written by hand" }).where("uri", "=", localUri("carol")).execute(),
    );
  });

  test("moves with every write to the actor's keys, in transactions too", async () => {
    await store.actors.put(localActor("dave"));
    const key = { keyId: `${localUri("dave")}#main-key`, ownerUri: localUri("dave"), publicKeyPem: "one", privateKeyPem: "private" };
    await assertMoves("dave", () => store.keys.put(key));
    await assertMoves("dave", () => store.keys.put({ ...key, publicKeyPem: "two" }));
    await assertMoves("dave", () => store.keys.add({ ...key, keyId: `${localUri("dave")}#second-key` }));
    await assertMoves("dave", () =>
      store.transaction(async (tx) => {
        await tx.keys.removeForOwner(localUri("dave"));
        await tx.keys.put({ ...key, publicKeyPem: "three" });
      }),
    );
    await assertMoves("dave", () => store.keys.removeForOwner(localUri("dave")));
  });

  test("starts afresh when an actor's row is replaced", async () => {
    await store.actors.put(localActor("erin"));
    const first = await versionOf("erin");
    await store.db.deleteFrom("actors").where("uri", "=", localUri("erin")).execute();
    assert.equal(await store.actors.documentVersion!("erin"), null);
    await store.actors.put(localActor("erin"));
    // A random start: equal to the old one only by a one-in-a-billion chance.
    assert.notEqual((await versionOf("erin")).version, first.version);
  });

  test("is left alone by a rolled-back write", async () => {
    await store.actors.put(localActor("fred"));
    const first = await versionOf("fred");
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.actors.put(localActor("fred", { name: "Never" }));
        throw new Error("roll back");
      }),
    );
    assert.deepEqual(await versionOf("fred"), first);
  });
});

describe("local actor document versions on a SQLite file shared by connections", () => {
  const dir = mkdtempSync(join(tmpdir(), "outpost-doc-version-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  // The server keeps versions between writes; a write by any other connection (the CLI, another thread) must end that.
  test("shows a write made through another connection to the file at the next read", async () => {
    const url = join(dir, "shared.sqlite");
    const server = await createSqlStore({ url });
    const buffer = sqlStoreSiblingOf(server)?.params.writeLockBuffer;
    assert.ok(buffer !== undefined);
    const other = await createSqlStore({ url, writeLock: { buffer, slot: 1 } });
    try {
      await server.actors.put(localActor("gina"));
      const first = await server.actors.documentVersion!("gina");
      assert.deepEqual(await server.actors.documentVersion!("GINA"), first);

      await other.actors.put(localActor("gina", { name: "Gina, renamed elsewhere" }));
      const moved = await server.actors.documentVersion!("gina");
      assert.equal(moved?.uri, first?.uri);
      assert.notEqual(moved?.version, first?.version);
      assert.deepEqual(await other.actors.documentVersion!("gina"), moved);

      await other.db.updateTable("actors").set({ username: "gwen", username_lower: "gwen" }).where("uri", "=", localUri("gina")).execute();
      assert.equal(await server.actors.documentVersion!("gina"), null);
      assert.equal((await server.actors.documentVersion!("gwen"))?.uri, localUri("gina"));

      await other.actors.markDeleted(localUri("gina"), at(20));
      assert.notEqual((await server.actors.documentVersion!("gwen"))?.version, moved?.version);
    } finally {
      await other.close();
      await server.close();
    }
  });
});
