/**
 * Contract: follower and following counts. A store may keep them apart from
 * the follows (the SQL store does, in a table its triggers maintain), so
 * every way of changing follows is checked to move the counts with it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FollowState, Page, PageRequest } from "../records.ts";
import type { Store } from "../store.ts";
import { follow, localUri, readAllPages, remoteUri, withStore, type OpenStore } from "./fixtures.ts";

type Counts = Record<string, { followers: Record<FollowState, number>; following: Record<FollowState, number> }>;

/** Every count of the actors, as the store answers them. */
async function countsOf(store: Store, actors: readonly string[]): Promise<Counts> {
  const counts: Counts = {};
  for (const actor of actors) {
    counts[actor] = {
      followers: {
        accepted: await store.follows.countFollowers(actor, "accepted"),
        pending: await store.follows.countFollowers(actor, "pending"),
      },
      following: {
        accepted: await store.follows.countFollowing(actor, "accepted"),
        pending: await store.follows.countFollowing(actor, "pending"),
      },
    };
  }
  return counts;
}

/** The same counts, found by listing the follows themselves. */
async function listedCountsOf(store: Store, actors: readonly string[]): Promise<Counts> {
  const counts: Counts = {};
  const listed = async (list: (page: PageRequest) => Promise<Page<unknown>>) => (await readAllPages(list, 7)).length;
  for (const actor of actors) {
    counts[actor] = {
      followers: {
        accepted: await listed((page) => store.follows.listFollowers(actor, "accepted", page)),
        pending: await listed((page) => store.follows.listFollowers(actor, "pending", page)),
      },
      following: {
        accepted: await listed((page) => store.follows.listFollowing(actor, "accepted", page)),
        pending: await listed((page) => store.follows.listFollowing(actor, "pending", page)),
      },
    };
  }
  return counts;
}

/** A small deterministic generator, so a failing sequence can be replayed. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Registers the follow count contract tests. */
export function followCountContract(open: OpenStore): void {
  describe("follow counts", () => {
    const alice = localUri("alice");
    const bob = remoteUri("bob");
    const carol = remoteUri("carol");
    const dave = remoteUri("dave");

    test("a new follow counts on both sides, in its state", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice, { state: "pending" }));
        assert.equal(await store.follows.countFollowers(alice, "pending"), 1);
        assert.equal(await store.follows.countFollowers(alice, "accepted"), 0);
        assert.equal(await store.follows.countFollowing(bob, "pending"), 1);
        assert.equal(await store.follows.countFollowing(alice, "pending"), 0);
        assert.equal(await store.follows.countFollowers(bob, "pending"), 0);
      }));

    test("accepting moves a follow from pending to accepted", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice, { state: "pending" }));
        await store.follows.put(follow(carol, alice, { state: "pending" }));
        await store.follows.setState(bob, alice, "accepted");
        // Setting the state it already has changes nothing.
        await store.follows.setState(bob, alice, "accepted");
        await store.follows.setState(dave, alice, "accepted");
        assert.equal(await store.follows.countFollowers(alice, "accepted"), 1);
        assert.equal(await store.follows.countFollowers(alice, "pending"), 1);
        assert.equal(await store.follows.countFollowing(bob, "accepted"), 1);
        assert.equal(await store.follows.countFollowing(bob, "pending"), 0);
        assert.equal(await store.follows.countFollowing(dave, "accepted"), 0);
      }));

    test("re-putting a follow counts it once, in its latest state", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice, { state: "pending" }));
        await store.follows.put(follow(bob, alice, { state: "pending", createdAt: "2024-02-01T00:00:00.000Z" }));
        assert.equal(await store.follows.countFollowers(alice, "pending"), 1);
        await store.follows.put(follow(bob, alice, { activityUri: `${bob}#follow-2`, state: "accepted" }));
        await store.follows.put(follow(bob, alice, { activityUri: `${bob}#follow-2`, state: "accepted" }));
        assert.equal(await store.follows.countFollowers(alice, "accepted"), 1);
        assert.equal(await store.follows.countFollowers(alice, "pending"), 0);
        assert.equal(await store.follows.countFollowing(bob, "accepted"), 1);
        assert.equal(await store.follows.countFollowing(bob, "pending"), 0);
      }));

    test("an activity id reused for another pair leaves only the newer pair counted", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice, { activityUri: `${bob}#f` }));
        await store.follows.put(follow(bob, carol, { activityUri: `${bob}#f` }));
        assert.equal(await store.follows.countFollowers(alice, "accepted"), 0);
        assert.equal(await store.follows.countFollowers(carol, "accepted"), 1);
        assert.equal(await store.follows.countFollowing(bob, "accepted"), 1);
      }));

    test("removing a follow uncounts it; removing a missing one changes nothing", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice));
        await store.follows.put(follow(carol, alice, { state: "pending" }));
        await store.follows.remove(bob, alice);
        await store.follows.remove(bob, alice);
        await store.follows.remove(dave, alice);
        assert.equal(await store.follows.countFollowers(alice, "accepted"), 0);
        assert.equal(await store.follows.countFollowers(alice, "pending"), 1);
        assert.equal(await store.follows.countFollowing(bob, "accepted"), 0);
        await store.follows.put(follow(bob, alice));
        assert.equal(await store.follows.countFollowers(alice, "accepted"), 1);
      }));

    test("removing every follow of a deleted actor uncounts both sides", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice));
        await store.follows.put(follow(alice, bob));
        await store.follows.put(follow(bob, carol, { state: "pending" }));
        await store.follows.put(follow(carol, alice));
        await store.follows.put(follow(dave, bob, { state: "pending" }));
        await store.follows.removeAllFor(bob);
        assert.deepEqual(await countsOf(store, [alice, bob, carol, dave]), await listedCountsOf(store, [alice, bob, carol, dave]));
        assert.equal(await store.follows.countFollowers(alice, "accepted"), 1);
        assert.equal(await store.follows.countFollowing(alice, "accepted"), 0);
        assert.equal(await store.follows.countFollowing(dave, "pending"), 0);
        assert.equal(await store.follows.countFollowers(bob, "accepted"), 0);
      }));

    test("a move carries the counts of the followers it moves", () =>
      withStore(open, async (store) => {
        const newBob = remoteUri("bob-new");
        await store.follows.put(follow(alice, bob));
        await store.follows.put(follow(carol, bob, { state: "pending" }));
        await store.follows.put(follow(dave, bob));
        await store.follows.put(follow(dave, newBob, { state: "pending" }));
        assert.equal(await store.follows.moveFollowee(bob, newBob), 2);
        assert.equal(await store.follows.countFollowers(newBob, "accepted"), 1);
        assert.equal(await store.follows.countFollowers(newBob, "pending"), 2);
        // dave's follow of the old account stayed where it was.
        assert.equal(await store.follows.countFollowers(bob, "accepted"), 1);
        assert.equal(await store.follows.countFollowers(bob, "pending"), 0);
        assert.equal(await store.follows.countFollowing(alice, "accepted"), 1);
        assert.equal(await store.follows.countFollowing(dave, "accepted"), 1);
        assert.equal(await store.follows.countFollowing(dave, "pending"), 1);
      }));

    test("a rolled-back transaction leaves the counts as they were", () =>
      withStore(open, async (store) => {
        await store.follows.put(follow(bob, alice, { state: "pending" }));
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.follows.put(follow(carol, alice));
            await tx.follows.setState(bob, alice, "accepted");
            await tx.follows.removeAllFor(alice);
            assert.equal(await tx.follows.countFollowers(alice, "pending"), 0);
            throw new Error("undo");
          }),
          /undo/,
        );
        assert.equal(await store.follows.countFollowers(alice, "pending"), 1);
        assert.equal(await store.follows.countFollowers(alice, "accepted"), 0);
        assert.equal(await store.follows.countFollowing(carol, "accepted"), 0);
      }));

    test("writers running at once are all counted", () =>
      withStore(open, async (store) => {
        const followers = Array.from({ length: 24 }, (_, i) => remoteUri(`f${i}`));
        await Promise.all(
          followers.map((follower) => store.transaction((tx) => tx.follows.put(follow(follower, alice, { state: "pending" })))),
        );
        assert.equal(await store.follows.countFollowers(alice, "pending"), followers.length);
        // Half accepted and half gone, each in its own transaction, all at once.
        await Promise.all(
          followers.map((follower, i) =>
            store.transaction(async (tx) => {
              if (i % 2 === 0) await tx.follows.setState(follower, alice, "accepted");
              else await tx.follows.remove(follower, alice);
              await tx.follows.put(follow(alice, follower));
            }),
          ),
        );
        assert.equal(await store.follows.countFollowers(alice, "accepted"), followers.length / 2);
        assert.equal(await store.follows.countFollowers(alice, "pending"), 0);
        assert.equal(await store.follows.countFollowing(alice, "accepted"), followers.length);
      }));

    test("after any mix of changes, the counts match the follows listed", () =>
      withStore(open, async (store) => {
        const actors = [alice, localUri("erin"), bob, carol, dave];
        const next = sequence(7);
        const pick = () => actors[Math.floor(next() * actors.length)]!;
        const state = (): FollowState => (next() < 0.5 ? "pending" : "accepted");
        for (let step = 0; step < 80; step++) {
          const [follower, followee] = [pick(), pick()];
          const roll = next();
          if (roll < 0.45) await store.follows.put(follow(follower, followee, { state: state() }));
          else if (roll < 0.6) await store.follows.setState(follower, followee, state());
          else if (roll < 0.75) await store.follows.remove(follower, followee);
          else if (roll < 0.8) await store.follows.removeAllFor(follower);
          else if (roll < 0.85) await store.follows.moveFollowee(follower, followee);
          else await store.follows.put(follow(follower, followee, { activityUri: `${pick()}#reused`, state: state() }));
        }
        assert.deepEqual(await countsOf(store, actors), await listedCountsOf(store, actors));
      }));
  });
}
