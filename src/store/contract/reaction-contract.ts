/** Contract: reactions, blocks and collection items. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ReactionRecord } from "../records.ts";
import { at, localUri, remoteUri, withStore, type OpenStore } from "./fixtures.ts";

function reaction(type: ReactionRecord["type"], actorUri: string, objectUri: string, n = 1): ReactionRecord {
  return { activityUri: `${actorUri}/${type.toLowerCase()}s/${n}`, type, actorUri, objectUri, createdAt: at(n) };
}

/** Registers the reaction, block and collection contract tests. */
export function reactionContract(open: OpenStore): void {
  const alice = localUri("alice");
  const bob = remoteUri("bob");
  const carol = remoteUri("carol");
  const post = `${alice}/notes/1`;

  describe("reactions", () => {
    test("add once per actor, type and object; round-trip by activity", () =>
      withStore(open, async (store) => {
        const like = reaction("Like", bob, post);
        assert.equal(await store.reactions.add(like), true);
        assert.deepEqual(await store.reactions.getByActivity(like.activityUri), like);
        assert.equal(await store.reactions.add({ ...like, activityUri: `${bob}/likes/again` }), false);
        assert.equal(await store.reactions.add({ ...like, objectUri: `${alice}/notes/2` }), false, "same activity id");
        assert.equal(await store.reactions.getByActivity(`${bob}/likes/again`), null);
        assert.equal(await store.reactions.add(reaction("Announce", bob, post)), true);
        assert.equal(await store.reactions.count(post, "Like"), 1);
        assert.equal(await store.reactions.count(post, "Announce"), 1);
      }));

    test("remove by triple and by activity return what was removed", () =>
      withStore(open, async (store) => {
        const like = reaction("Like", bob, post);
        const boost = reaction("Announce", bob, post);
        await store.reactions.add(like);
        await store.reactions.add(boost);
        assert.deepEqual(await store.reactions.remove({ type: "Like", actorUri: bob, objectUri: post }), like);
        assert.equal(await store.reactions.remove({ type: "Like", actorUri: bob, objectUri: post }), null);
        assert.deepEqual(await store.reactions.removeByActivity(boost.activityUri), boost);
        assert.equal(await store.reactions.removeByActivity(boost.activityUri), null);
        assert.equal(await store.reactions.count(post, "Like"), 0);
        // Once removed, the actor may react again.
        assert.equal(await store.reactions.add(reaction("Like", bob, post, 2)), true);
      }));

    test("counts by actor and removeByActor", () =>
      withStore(open, async (store) => {
        await store.reactions.add(reaction("Like", bob, post));
        await store.reactions.add(reaction("Like", bob, `${alice}/notes/2`, 2));
        await store.reactions.add(reaction("Announce", bob, post, 3));
        await store.reactions.add(reaction("Like", carol, post));
        assert.equal(await store.reactions.countByActor(bob, "Like"), 2);
        assert.equal(await store.reactions.countByActor(bob, "Announce"), 1);
        assert.equal(await store.reactions.removeByActor(bob), 3);
        assert.equal(await store.reactions.countByActor(bob, "Like"), 0);
        assert.equal(await store.reactions.count(post, "Like"), 1);
      }));
  });

  describe("blocks", () => {
    const block = (actorUri: string, targetUri: string, n = 1) => ({
      activityUri: `${actorUri}/blocks/${n}`,
      actorUri,
      targetUri,
      createdAt: at(n),
    });

    test("put, get, replace and remove", () =>
      withStore(open, async (store) => {
        const record = block(alice, bob);
        await store.blocks.put(record);
        assert.deepEqual(await store.blocks.get(alice, bob), record);
        assert.equal(await store.blocks.get(bob, alice), null);
        const again = block(alice, bob, 2);
        await store.blocks.put(again);
        assert.deepEqual(await store.blocks.get(alice, bob), again);
        assert.equal((await store.blocks.list(alice, { limit: 10 })).items.length, 1);
        assert.deepEqual(await store.blocks.remove(alice, bob), again);
        assert.equal(await store.blocks.remove(alice, bob), null);
      }));

    test("blockersAmong names those that block the target", () =>
      withStore(open, async (store) => {
        const dave = localUri("dave");
        await store.blocks.put(block(alice, bob));
        await store.blocks.put(block(dave, bob));
        await store.blocks.put(block(dave, carol));
        const blockers = await store.blocks.blockersAmong([alice, dave, localUri("erin")], bob);
        assert.deepEqual(blockers.sort(), [alice, dave].sort());
        assert.deepEqual(await store.blocks.blockersAmong([alice], carol), []);
        assert.deepEqual(await store.blocks.blockersAmong([], bob), []);
      }));

    test("blockersAmong handles long lists", () =>
      withStore(open, async (store) => {
        const many = Array.from({ length: 1500 }, (_, i) => localUri(`user${i}`));
        await store.blocks.put(block(many[1400]!, bob));
        await store.blocks.put(block(many[3]!, bob));
        assert.deepEqual((await store.blocks.blockersAmong(many, bob)).sort(), [many[1400], many[3]].sort());
      }));

    test("removeByActor removes the actor's blocks", () =>
      withStore(open, async (store) => {
        await store.blocks.put(block(bob, alice));
        await store.blocks.put(block(bob, carol));
        await store.blocks.put(block(alice, bob));
        assert.equal(await store.blocks.removeByActor(bob), 2);
        assert.equal(await store.blocks.get(bob, alice), null);
        assert.notEqual(await store.blocks.get(alice, bob), null);
      }));
  });

  describe("collection items", () => {
    const featured = `${alice}/featured`;

    test("add once, has, remove, count", () =>
      withStore(open, async (store) => {
        const item = { collectionUri: featured, itemUri: post, addedAt: at(1) };
        assert.equal(await store.collections.add(item), true);
        assert.equal(await store.collections.add({ ...item, addedAt: at(2) }), false);
        assert.equal(await store.collections.has(featured, post), true);
        assert.equal(await store.collections.has(featured, `${alice}/notes/2`), false);
        assert.equal(await store.collections.count(featured), 1);
        assert.deepEqual((await store.collections.list(featured, { limit: 5 })).items, [item]);
        assert.equal(await store.collections.remove(featured, post), true);
        assert.equal(await store.collections.remove(featured, post), false);
        assert.equal(await store.collections.count(featured), 0);
      }));

    test("removeItemEverywhere removes the item from every collection", () =>
      withStore(open, async (store) => {
        const other = `${alice}/collections/favourites`;
        await store.collections.add({ collectionUri: featured, itemUri: post, addedAt: at(1) });
        await store.collections.add({ collectionUri: other, itemUri: post, addedAt: at(1) });
        await store.collections.add({ collectionUri: other, itemUri: `${alice}/notes/2`, addedAt: at(1) });
        assert.equal(await store.collections.removeItemEverywhere(post), 2);
        assert.equal(await store.collections.has(featured, post), false);
        assert.equal(await store.collections.count(other), 1);
      }));
  });
}
