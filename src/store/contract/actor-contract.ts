/** Contract: actors, keys, the WebFinger cache and host health. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { at, localActor, localUri, remoteActor, remoteUri, withStore, type OpenStore } from "./fixtures.ts";

/** Registers the actor-related contract tests. */
export function actorContract(open: OpenStore): void {
  describe("actors", () => {
    test("round-trips every field of local and remote actors", () =>
      withStore(open, async (store) => {
        const local = localActor("alice");
        const remote = remoteActor("bob");
        await store.actors.put(local);
        await store.actors.put(remote);
        assert.deepEqual(await store.actors.get(local.uri), local);
        assert.deepEqual(await store.actors.get(remote.uri), remote);
        assert.equal(await store.actors.get(remoteUri("nobody")), null);
      }));

    test("round-trips the opposite booleans and empty collections", () =>
      withStore(open, async (store) => {
        const actor = localActor("carol", {
          manuallyApprovesFollowers: false,
          discoverable: true,
          alsoKnownAs: [],
          fields: [],
          sharedInbox: null,
          name: null,
        });
        await store.actors.put(actor);
        assert.deepEqual(await store.actors.get(actor.uri), actor);
      }));

    test("put replaces the actor with the same uri", () =>
      withStore(open, async (store) => {
        await store.actors.put(remoteActor("bob"));
        const updated = remoteActor("bob", {
          name: "Bob",
          discoverable: false,
          alsoKnownAs: ["https://x.example/bob"],
          document: { id: remoteUri("bob"), type: "Person", v: 2 },
          updatedAt: at(50),
        });
        await store.actors.put(updated);
        assert.deepEqual(await store.actors.get(updated.uri), updated);
      }));

    test("getLocal finds local actors case-insensitively and ignores remote ones", () =>
      withStore(open, async (store) => {
        await store.actors.put(localActor("alice"));
        await store.actors.put(remoteActor("bob"));
        assert.equal((await store.actors.getLocal("alice"))?.uri, localUri("alice"));
        assert.equal((await store.actors.getLocal("ALICE"))?.uri, localUri("alice"));
        assert.equal(await store.actors.getLocal("bob"), null);
        assert.equal(await store.actors.getLocal("nobody"), null);
      }));

    test("listLocal lists local actors only", () =>
      withStore(open, async (store) => {
        await store.actors.put(localActor("alice"));
        await store.actors.put(localActor("dave"));
        await store.actors.put(remoteActor("bob"));
        const uris = (await store.actors.listLocal()).map((actor) => actor.uri).sort();
        assert.deepEqual(uris, [localUri("alice"), localUri("dave")]);
      }));

    test("markDeleted keeps the actor with deletedAt set; remove drops it", () =>
      withStore(open, async (store) => {
        await store.actors.put(localActor("alice"));
        await store.actors.put(remoteActor("bob"));
        await store.actors.markDeleted(localUri("alice"), at(99));
        assert.equal((await store.actors.get(localUri("alice")))?.deletedAt, at(99));
        assert.equal((await store.actors.getLocal("alice"))?.deletedAt, at(99));
        await store.actors.remove(remoteUri("bob"));
        assert.equal(await store.actors.get(remoteUri("bob")), null);
      }));
  });

  describe("keys", () => {
    test("round-trip, replace, list and remove by owner", () =>
      withStore(open, async (store) => {
        const owner = localUri("alice");
        const main = { keyId: `${owner}#main-key`, ownerUri: owner, publicKeyPem: "PUB1", privateKeyPem: "PRIV1" };
        const other = { keyId: `${owner}#ed25519-key`, ownerUri: owner, publicKeyPem: "PUB2", privateKeyPem: null };
        const remote = { keyId: `${remoteUri("bob")}#main-key`, ownerUri: remoteUri("bob"), publicKeyPem: "PUB3", privateKeyPem: null };
        await store.keys.put(main);
        await store.keys.put(other);
        await store.keys.put(remote);
        assert.deepEqual(await store.keys.get(main.keyId), main);
        assert.deepEqual(await store.keys.get(other.keyId), other);
        assert.equal(await store.keys.get("https://nowhere.example#k"), null);

        const rotated = { ...main, publicKeyPem: "PUB1b", privateKeyPem: "PRIV1b" };
        await store.keys.put(rotated);
        assert.deepEqual(await store.keys.get(main.keyId), rotated);

        const owned = await store.keys.listForOwner(owner);
        assert.deepEqual(
          owned.map((key) => key.keyId).sort(),
          [main.keyId, other.keyId].sort(),
        );
        await store.keys.removeForOwner(owner);
        assert.deepEqual(await store.keys.listForOwner(owner), []);
        assert.deepEqual(await store.keys.get(remote.keyId), remote);
      }));
  });

  describe("keys added only when absent", () => {
    test("the first key stays, and each caller learns whether its key was the one kept", () =>
      withStore(open, async (store) => {
        const owner = localUri("alice");
        const first = { keyId: `${owner}#main-key`, ownerUri: owner, publicKeyPem: "PUB1", privateKeyPem: "PRIV1" };
        const second = { ...first, publicKeyPem: "PUB2", privateKeyPem: "PRIV2" };
        assert.equal(await store.keys.add(first), true);
        assert.equal(await store.keys.add(second), false);
        assert.deepEqual(await store.keys.get(first.keyId), first);
      }));
  });

  describe("webfinger cache", () => {
    test("put, get and replace", () =>
      withStore(open, async (store) => {
        assert.equal(await store.webfinger.get("bob@remote.example"), null);
        const record = { acct: "bob@remote.example", actorUri: remoteUri("bob"), fetchedAt: at(1) };
        await store.webfinger.put(record);
        assert.deepEqual(await store.webfinger.get("bob@remote.example"), record);
        const refreshed = { ...record, actorUri: remoteUri("bob2"), fetchedAt: at(2) };
        await store.webfinger.put(refreshed);
        assert.deepEqual(await store.webfinger.get("bob@remote.example"), refreshed);
      }));
  });

  describe("host health", () => {
    test("failures accumulate and a success clears them", () =>
      withStore(open, async (store) => {
        const host = "flaky.example";
        assert.equal(await store.hosts.get(host), null);
        assert.deepEqual(await store.hosts.recordFailure(host, { at: at(1), backoffUntil: null }), {
          host,
          failures: 1,
          lastFailureAt: at(1),
          backoffUntil: null,
        });
        const second = await store.hosts.recordFailure(host, { at: at(2), backoffUntil: at(30) });
        assert.deepEqual(second, { host, failures: 2, lastFailureAt: at(2), backoffUntil: at(30) });
        assert.deepEqual(await store.hosts.get(host), second);
        assert.equal((await store.hosts.get("other.example")), null);

        await store.hosts.recordSuccess(host);
        const healed = await store.hosts.get(host);
        assert.equal(healed?.failures ?? 0, 0);
        assert.equal(healed?.backoffUntil ?? null, null);
        await store.hosts.recordSuccess("never-failed.example");
        assert.equal((await store.hosts.get("never-failed.example"))?.failures ?? 0, 0);
      }));

    test("concurrent failures of one host each count", () =>
      withStore(open, async (store) => {
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.hosts.recordFailure("busy.example", { at: at(i), backoffUntil: null })),
        );
        assert.equal((await store.hosts.get("busy.example"))?.failures, 10);
      }));
  });
}
