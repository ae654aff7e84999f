import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { createPost } from "./create-post.ts";
import { deletePost } from "./delete-post.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

test("deleting a post leaves a Tombstone with its former type and sends a Delete to the same audience", async () => {
  const w = await createOutboxWorld();
  world = w;
  const bob = w.addRemoteAccount({ username: "bob", host: "a.test" });
  const created = await createPost(w.ctx, { actor: w.alice, text: "oops @bob@a.test" });
  assert.ok(created.ok);
  w.advance(1000);

  const result = await deletePost(w.ctx, { actor: w.alice, objectUri: created.objectUri });

  assert.ok(result.ok);
  const deletedAt = w.ctx.now().toISOString();
  const tombstone = { id: created.objectUri, type: "Tombstone", formerType: "Note", deleted: deletedAt };
  const activity = await w.activityDocument(result.activityUri);
  assert.equal(activity.type, "Delete");
  assert.deepEqual(activity.object, tombstone);
  assert.deepEqual(activity.to, [PUBLIC_COLLECTION]);
  assert.deepEqual(activity.cc, [w.alice.followersUri, bob]);

  const stored = await w.ctx.store.objects.get(created.objectUri);
  assert.equal(stored?.deletedAt, deletedAt);
  assert.equal(stored?.formerType, "Note");
  assert.equal(stored?.document.type, "Tombstone");
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);
});

test("a deleted post is unpinned", async () => {
  const w = await createOutboxWorld();
  world = w;
  const created = await createPost(w.ctx, { actor: w.alice, text: "pinned" });
  assert.ok(created.ok);
  await w.ctx.store.collections.add({ collectionUri: w.alice.featuredUri!, itemUri: created.objectUri, addedAt: w.ctx.now().toISOString() });

  assert.ok((await deletePost(w.ctx, { actor: w.alice, objectUri: created.objectUri })).ok);

  assert.equal(await w.ctx.store.collections.has(w.alice.featuredUri!, created.objectUri), false);
});

test("a post is deleted once, and only by its author", async () => {
  const w = await createOutboxWorld();
  world = w;
  const bob = await w.addLocalActor("bob");
  const created = await createPost(w.ctx, { actor: w.alice, text: "mine" });
  assert.ok(created.ok);

  const byBob = await deletePost(w.ctx, { actor: bob, objectUri: created.objectUri });
  const first = await deletePost(w.ctx, { actor: w.alice, objectUri: created.objectUri });
  const second = await deletePost(w.ctx, { actor: w.alice, objectUri: created.objectUri });

  assert.deepEqual([byBob, first, second].map((r) => (r.ok ? "ok" : r.reason)), ["notYours", "ok", "objectDeleted"]);
});
