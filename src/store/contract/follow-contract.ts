/** Contract: follow relationships. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { followCountContract } from "./follow-count-contract.ts";
import { at, follow, localActor, localUri, remoteActor, remoteUri, withStore, type OpenStore } from "./fixtures.ts";

/** Registers the follow contract tests. */
export function followContract(open: OpenStore): void {
  describe("follows", () => {
    const alice = localUri("alice");
    const bob = remoteUri("bob");
    const carol = remoteUri("carol");

    test("round-trip by pair and by activity", () =>
      withStore(open, async (store) => {
        const record = follow(bob, alice, { state: "pending", createdAt: at(7) });
        await store.follows.put(record);
        assert.deepEqual(await store.follows.get(bob, alice), record);
        assert.deepEqual(await store.follows.getByActivity(record.activityUri), record);
        assert.equal(await store.follows.get(alice, bob), null);
        assert.equal(await store.follows.getByActivity("https://remote.example/nope"), null);
      }));

    test("put replaces the follow of the same pair", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice, { state: "pending" }));
        const again = follow(bob, alice, { activityUri: `${bob}#follow-2`, state: "accepted", createdAt: at(9) });
        await store.follows.put(again);
        assert.deepEqual(await store.follows.get(bob, alice), again);
        assert.deepEqual(await store.follows.getByActivity(again.activityUri), again);
        assert.equal(await store.follows.countFollowers(alice, "accepted"), 1);
        assert.equal(await store.follows.countFollowers(alice, "pending"), 0);
      }));

    test("setState accepts a pending follow", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice, { state: "pending" }));
        await store.follows.setState(bob, alice, "accepted");
        assert.equal((await store.follows.get(bob, alice))?.state, "accepted");
      }));

    test("remove returns the removed follow, then null", () =>
      withStore(open, async (store) => {
        const record = follow(bob, alice);
        await store.follows.put(record);
        assert.deepEqual(await store.follows.remove(bob, alice), record);
        assert.equal(await store.follows.get(bob, alice), null);
        assert.equal(await store.follows.remove(bob, alice), null);
      }));

    test("counts by side and state", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice));
        await store.follows.put(follow(carol, alice, { state: "pending" }));
        await store.follows.put(follow(alice, bob));
        assert.equal(await store.follows.countFollowers(alice, "accepted"), 1);
        assert.equal(await store.follows.countFollowers(alice, "pending"), 1);
        assert.equal(await store.follows.countFollowing(alice, "accepted"), 1);
        assert.equal(await store.follows.countFollowing(bob, "accepted"), 1);
        assert.equal(await store.follows.countFollowing(carol, "accepted"), 0);
      }));

    test("followerInboxes gives accepted followers that have an actor record", () =>
      withStore(open, async (store) => {
        await store.actors.put(localActor("alice"));
        await store.actors.put(remoteActor("bob", { sharedInbox: "https://remote.example/inbox" }));
        await store.actors.put(remoteActor("carol"));
        await store.actors.put(remoteActor("dave"));
        await store.follows.put(follow(bob, alice));
        await store.follows.put(follow(carol, alice));
        await store.follows.put(follow(remoteUri("dave"), alice, { state: "pending" }));
        await store.follows.put(follow(remoteUri("unknown"), alice));
        await store.follows.put(follow(bob, localUri("other")));
        const inboxes = await store.follows.followerInboxes(alice);
        inboxes.sort((a, b) => a.actorUri.localeCompare(b.actorUri));
        assert.deepEqual(inboxes, [
          { actorUri: bob, inbox: `${bob}/inbox`, sharedInbox: "https://remote.example/inbox" },
          { actorUri: carol, inbox: `${carol}/inbox`, sharedInbox: null },
        ]);
        assert.deepEqual(await store.follows.followerInboxes(localUri("nobody")), []);
      }));

    test("localFollowers gives the local actors with an accepted follow, in the order they followed", () =>
      withStore(open, async (store) => {
        const dave = localUri("dave");
        await store.actors.put(localActor("alice"));
        await store.actors.put(localActor("dave"));
        await store.actors.put(remoteActor("bob"));
        await store.actors.put(remoteActor("carol"));
        await store.follows.put(follow(dave, bob));
        await store.follows.put(follow(carol, bob));
        await store.follows.put(follow(alice, bob));
        await store.follows.put(follow(localUri("erin"), bob, { state: "pending" }));
        await store.follows.put(follow(alice, carol, { state: "pending" }));
        assert.deepEqual(await store.follows.localFollowers(bob), [dave, alice]);
        assert.deepEqual(await store.follows.localFollowers(carol), []);
        await store.follows.setState(alice, carol, "accepted");
        assert.deepEqual(await store.follows.localFollowers(carol), [alice]);
      }));

    test("removeAllFor removes follows on either side", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice));
        await store.follows.put(follow(alice, bob));
        await store.follows.put(follow(bob, carol, { state: "pending" }));
        await store.follows.put(follow(carol, alice));
        assert.equal(await store.follows.removeAllFor(bob), 3);
        assert.equal(await store.follows.get(bob, alice), null);
        assert.equal(await store.follows.get(alice, bob), null);
        assert.notEqual(await store.follows.get(carol, alice), null);
        assert.equal(await store.follows.removeAllFor(bob), 0);
      }));

    test("moveFollowee re-points follows and skips pairs that already exist", () =>
      withStore(open, async (store) => {
        const oldBob = bob;
        const newBob = remoteUri("bob-new");
        const dave = localUri("dave");
        await store.follows.put(follow(alice, oldBob));
        await store.follows.put(follow(dave, oldBob, { state: "pending" }));
        await store.follows.put(follow(dave, newBob));
        await store.follows.put(follow(alice, carol));
        assert.equal(await store.follows.moveFollowee(oldBob, newBob), 1);
        const moved = await store.follows.get(alice, newBob);
        assert.equal(moved?.activityUri, follow(alice, oldBob).activityUri);
        assert.equal(moved?.state, "accepted");
        assert.equal(await store.follows.get(alice, oldBob), null);
        // dave already followed the new account: that follow is left as it was.
        assert.equal((await store.follows.get(dave, newBob))?.state, "accepted");
        assert.notEqual(await store.follows.get(alice, carol), null);
        assert.equal(await store.follows.countFollowers(newBob, "accepted"), 2);
      }));
  });
  followCountContract(open);
}
