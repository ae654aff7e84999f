/** Contract: transactions and instance statistics. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  activity,
  follow,
  LOCAL_HOST,
  localActor,
  localUri,
  note,
  remoteActor,
  remoteUri,
  withStore,
  type OpenStore,
} from "./fixtures.ts";

const DAY_MS = 24 * 3600_000;

/** Registers the transaction and statistics contract tests. */
export function transactionContract(open: OpenStore): void {
  const alice = localUri("alice");
  const bob = remoteUri("bob");

  describe("transactions", () => {
    test("commit every write together and return the callback's value", () =>
      withStore(open, async (store) => {
        const result = await store.transaction(async (tx) => {
          await tx.actors.put(localActor("alice"));
          await tx.follows.put(follow(bob, alice));
          await tx.jobs.enqueue([{ queue: "delivery", payload: 1 }]);
          // A transaction reads its own writes.
          assert.equal((await tx.actors.get(alice))?.username, "alice");
          return 42;
        });
        assert.equal(result, 42);
        assert.notEqual(await store.actors.get(alice), null);
        assert.notEqual(await store.follows.get(bob, alice), null);
        assert.equal((await store.jobs.counts()).pending, 1);
      }));

    test("a thrown error rolls back every write and reaches the caller", () =>
      withStore(open, async (store) => {
        await store.actors.put(remoteActor("bob"));
        const failure = new Error("boom");
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.actors.put(localActor("alice"));
            await tx.actors.remove(bob);
            await tx.keys.put({ keyId: `${alice}#k`, ownerUri: alice, publicKeyPem: "P", privateKeyPem: "S" });
            await tx.follows.put(follow(bob, alice));
            await tx.objects.put(note(`${alice}/notes/1`, alice));
            await tx.activities.add(activity(`${alice}/a/1`, "Create", alice));
            await tx.reactions.add({ activityUri: `${bob}/l`, type: "Like", actorUri: bob, objectUri: `${alice}/notes/1`, createdAt: "2024-01-01T00:00:00.000Z" });
            await tx.blocks.put({ activityUri: `${alice}/b`, actorUri: alice, targetUri: bob, createdAt: "2024-01-01T00:00:00.000Z" });
            await tx.collections.add({ collectionUri: `${alice}/featured`, itemUri: `${alice}/notes/1`, addedAt: "2024-01-01T00:00:00.000Z" });
            await tx.inbox.add(`${alice}/a/1`, [alice], "2024-01-01T00:00:00.000Z");
            await tx.jobs.enqueue(Array.from({ length: 700 }, (_, i) => ({ queue: "delivery", payload: i })));
            await tx.hosts.recordFailure("remote.example", { at: "2024-01-01T00:00:00.000Z", backoffUntil: null });
            await tx.webfinger.put({ acct: "alice@local.example", actorUri: alice, fetchedAt: "2024-01-01T00:00:00.000Z" });
            throw failure;
          }),
          (error) => error === failure,
        );
        assert.equal(await store.actors.get(alice), null);
        assert.notEqual(await store.actors.get(bob), null);
        assert.equal(await store.keys.get(`${alice}#k`), null);
        assert.equal(await store.follows.get(bob, alice), null);
        assert.equal(await store.objects.get(`${alice}/notes/1`), null);
        assert.equal(await store.activities.get(`${alice}/a/1`), null);
        assert.equal(await store.reactions.getByActivity(`${bob}/l`), null);
        assert.equal(await store.blocks.get(alice, bob), null);
        assert.equal(await store.collections.has(`${alice}/featured`, `${alice}/notes/1`), false);
        assert.deepEqual((await store.inbox.list(alice, { visibilities: ["public"] }, { limit: 5 })).items, []);
        assert.deepEqual(await store.jobs.counts(), { pending: 0, done: 0, failed: 0 });
        assert.equal(await store.hosts.get("remote.example"), null);
        assert.equal(await store.webfinger.get("alice@local.example"), null);
      }));

    test("nested transactions join the outer one", () =>
      withStore(open, async (store) => {
        await store.transaction(async (tx) => {
          await tx.transaction(async (inner) => inner.actors.put(localActor("alice")));
          assert.notEqual(await tx.actors.get(alice), null);
        });
        assert.notEqual(await store.actors.get(alice), null);

        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.transaction(async (inner) => inner.actors.put(localActor("dave")));
            throw new Error("outer fails");
          }),
          /outer fails/,
        );
        assert.equal(await store.actors.get(localUri("dave")), null);
      }));

    test("the store works normally after a rollback", () =>
      withStore(open, async (store) => {
        await assert.rejects(store.transaction(async () => Promise.reject(new Error("x"))), /x/);
        await store.actors.put(localActor("alice"));
        assert.notEqual(await store.actors.get(alice), null);
      }));
  });

  describe("stats", () => {
    test("count local users, live local posts and recently active users", () =>
      withStore(open, async (store) => {
        const now = new Date("2025-06-01T12:00:00.000Z");
        const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
        const instance = localActor(LOCAL_HOST, { type: "Application", uri: `https://${LOCAL_HOST}/actor` });
        await store.actors.put(instance);
        await store.actors.put(localActor("alice"));
        await store.actors.put(localActor("dave"));
        await store.actors.put(localActor("carol"));
        await store.actors.put(localActor("erin", { deletedAt: daysAgo(1) }));
        await store.actors.put(remoteActor("bob"));

        await store.activities.add(activity(`${alice}/a/1`, "Create", alice, { published: daysAgo(10) }));
        await store.activities.add(activity(`${localUri("dave")}/a/1`, "Create", localUri("dave"), { published: daysAgo(100) }));
        await store.activities.add(activity(`${localUri("carol")}/a/1`, "Create", localUri("carol"), { published: daysAgo(200) }));
        await store.activities.add(activity(`${localUri("erin")}/a/1`, "Delete", localUri("erin"), { published: daysAgo(1) }));
        await store.activities.add(activity(`${instance.uri}/a/1`, "Update", instance.uri, { published: daysAgo(1) }));
        await store.activities.add(activity(`${bob}/a/1`, "Create", bob, { local: false, published: daysAgo(1) }));

        await store.objects.put(note(`${alice}/notes/1`, alice));
        await store.objects.put(note(`${alice}/notes/2`, alice, { visibility: "direct" }));
        await store.objects.put(note(`${alice}/notes/3`, alice));
        await store.objects.tombstone(`${alice}/notes/3`, { deletedAt: daysAgo(1), formerType: "Note", tombstone: { type: "Tombstone" } });
        await store.objects.put(note(`${bob}/notes/1`, bob, { local: false }));

        assert.deepEqual(await store.stats({ now }), {
          localUsers: 3,
          localPosts: 2,
          activeMonth: 1,
          activeHalfyear: 2,
        });
      }));
  });
}
