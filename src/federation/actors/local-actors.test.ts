import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createTestContext } from "../../../test/support/federation-context.ts";
import { openTestStore } from "../../../test/support/test-store.ts";
import { instanceActor } from "./instance-actor.ts";
import { generateRsaKeyPair } from "../../crypto/keys.ts";
import { createLocalActor, getLocalActor, LOCAL_KEY_MEMORY_MS, localActorKey } from "./local-actors.ts";

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

async function context() {
  const ctx = await createTestContext({ origin: "https://local.test" });
  closers.push(() => ctx.store.close());
  return ctx;
}

describe("createLocalActor", () => {
  it("creates an actor with its endpoints and a key pair", async () => {
    const ctx = await context();
    const result = await createLocalActor(ctx, { username: "Alice", name: "Alice", summary: "<p>hello</p>", fields: [{ name: "site", value: "https://alice.test" }] });
    assert.equal(result.ok, true);
    if (!result.ok) return;
    const { actor } = result;
    assert.equal(actor.uri, "https://local.test/users/alice");
    assert.equal(actor.username, "alice");
    assert.equal(actor.type, "Person");
    assert.equal(actor.local, true);
    assert.equal(actor.inbox, "https://local.test/users/alice/inbox");
    assert.equal(actor.sharedInbox, "https://local.test/inbox");
    assert.equal(actor.followersUri, "https://local.test/users/alice/followers");
    assert.deepEqual(actor.fields, [{ name: "site", value: "https://alice.test" }]);
    assert.deepEqual(await ctx.store.actors.get(actor.uri), actor);

    const key = await localActorKey(ctx, actor.uri);
    assert.equal(key.keyId, "https://local.test/users/alice#main-key");
    assert.match(key.publicKeyPem, /BEGIN PUBLIC KEY/);
    assert.match(key.privateKeyPem ?? "", /BEGIN PRIVATE KEY/);
  });

  it("refuses a username that is taken, whatever its case", async () => {
    const ctx = await context();
    assert.equal((await createLocalActor(ctx, { username: "bob" })).ok, true);
    const again = await createLocalActor(ctx, { username: "BOB" });
    assert.equal(again.ok === false && again.reason, "taken");
  });

  for (const username of ["", "_bob", "bob smith", "bob@host", "a".repeat(31), "local.test"]) {
    it(`refuses the username ${JSON.stringify(username)}`, async () => {
      const ctx = await context();
      const result = await createLocalActor(ctx, { username });
      assert.equal(result.ok === false && result.reason, "invalidUsername");
    });
  }

  it("accepts the actor types and refuses others", async () => {
    const ctx = await context();
    const group = await createLocalActor(ctx, { username: "club", type: "Group" });
    assert.equal(group.ok && group.actor.type, "Group");
    const note = await createLocalActor(ctx, { username: "notes", type: "Note" });
    assert.equal(note.ok === false && note.reason, "invalidType");
    assert.equal(await getLocalActor(ctx, "notes"), null);
  });
});

describe("getLocalActor", () => {
  it("finds a local actor case-insensitively and nothing else", async () => {
    const ctx = await context();
    await createLocalActor(ctx, { username: "carol" });
    assert.equal((await getLocalActor(ctx, "Carol"))?.uri, "https://local.test/users/carol");
    assert.equal(await getLocalActor(ctx, "dave"), null);
  });
});

describe("localActorKey", () => {
  it("refuses an actor that has no private key", async () => {
    const ctx = await context();
    await assert.rejects(localActorKey(ctx, "https://remote.example/users/eve"), /no private key/);
  });

  it("takes up a key replaced in the store once its memory of the old one lapses", async () => {
    let now = new Date("2025-03-01T12:00:00Z");
    const ctx = await createTestContext({ origin: "https://local.test", now: () => now });
    closers.push(() => ctx.store.close());
    const created = await createLocalActor(ctx, { username: "rotating" });
    assert.ok(created.ok);
    const old = await localActorKey(ctx, created.actor.uri);
    const replacement = await generateRsaKeyPair();
    await ctx.store.keys.put({ ...old, ...replacement });
    now = new Date(now.getTime() + LOCAL_KEY_MEMORY_MS - 1);
    assert.equal((await localActorKey(ctx, created.actor.uri)).privateKeyPem, old.privateKeyPem);
    now = new Date(now.getTime() + 1);
    assert.equal((await localActorKey(ctx, created.actor.uri)).privateKeyPem, replacement.privateKeyPem);
  });

  it("gives the instance actor's key for the instance actor", async () => {
    const ctx = await context();
    const key = await localActorKey(ctx, ctx.uris.instanceActor());
    assert.equal(key.keyId, ctx.uris.instanceKey());
    assert.notEqual(key.privateKeyPem, null);
  });
});

describe("instanceActor", () => {
  it("is an Application named after the host, created once per store", async () => {
    const ctx = await context();
    const [first, second] = await Promise.all([instanceActor(ctx), instanceActor(ctx)]);
    assert.equal(first.actor.type, "Application");
    assert.equal(first.actor.username, "local.test");
    assert.equal(first.actor.uri, ctx.uris.instanceActor());
    assert.equal(first.key.publicKeyPem, second.key.publicKeyPem);
    assert.deepEqual(await ctx.store.keys.get(ctx.uris.instanceKey()), first.key);
  });

  it("is read back from the store rather than created anew", async () => {
    const store = await openTestStore();
    closers.push(() => store.close());
    const ctx = await createTestContext({ store });
    const created = await instanceActor(ctx);
    // A second store object stands in for a restarted process on the same database.
    const reopened = await createTestContext({ store: { ...store, close: store.close } });
    const loaded = await instanceActor(reopened);
    assert.equal(loaded.key.privateKeyPem, created.key.privateKeyPem);
  });
});
