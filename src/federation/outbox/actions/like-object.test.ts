import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { likeObject, unlikeObject } from "./like-object.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

async function setUp(): Promise<{ w: OutboxWorld; bob: string; note: string }> {
  const w = await createOutboxWorld();
  world = w;
  const bob = w.addRemoteAccount({ username: "bob", host: "a.test" });
  const note = w.addRemoteNote({ authorUri: bob, id: `${bob}/statuses/1`, to: [PUBLIC_COLLECTION], cc: [`${bob}/followers`] });
  return { w, bob, note };
}

test("liking a remote post sends a Like to its author and records it in the actor's liked collection", async () => {
  const { w, bob, note } = await setUp();

  const result = await likeObject(w.ctx, { actor: w.alice, objectUri: note });

  assert.ok(result.ok);
  const like = await w.activityDocument(result.activityUri);
  assert.deepEqual([like.type, like.actor, like.object, like.to], ["Like", w.alice.uri, note, [bob]]);
  const reaction = await w.ctx.store.reactions.getByActivity(result.activityUri);
  assert.deepEqual([reaction?.type, reaction?.actorUri, reaction?.objectUri], ["Like", w.alice.uri, note]);
  assert.equal(await w.ctx.store.reactions.countByActor(w.alice.uri, "Like"), 1);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);
});

test("a post is liked once; a missing post cannot be liked", async () => {
  const { w, note } = await setUp();
  assert.ok((await likeObject(w.ctx, { actor: w.alice, objectUri: note })).ok);

  const again = await likeObject(w.ctx, { actor: w.alice, objectUri: note });
  const missing = await likeObject(w.ctx, { actor: w.alice, objectUri: "https://a.test/users/bob/statuses/404" });

  assert.deepEqual([again, missing].map((r) => (r.ok ? "ok" : r.reason)), ["alreadyLiked", "objectNotFound"]);
});

test("unliking sends Undo with the Like embedded to the author and removes the reaction", async () => {
  const { w, bob, note } = await setUp();
  const liked = await likeObject(w.ctx, { actor: w.alice, objectUri: note });
  assert.ok(liked.ok);

  const result = await unlikeObject(w.ctx, { actor: w.alice, objectUri: note });

  assert.ok(result.ok);
  const undo = await w.activityDocument(result.activityUri);
  assert.equal(undo.type, "Undo");
  assert.deepEqual(undo.to, [bob]);
  const embedded = undo.object as Record<string, unknown>;
  assert.deepEqual([embedded.id, embedded.type, embedded.object], [liked.activityUri, "Like", note]);
  assert.equal(await w.ctx.store.reactions.getByActivity(liked.activityUri), null);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);

  const twice = await unlikeObject(w.ctx, { actor: w.alice, objectUri: note });
  assert.equal(twice.ok === false && twice.reason, "notLiked");
  // Liking again after an unlike works.
  assert.ok((await likeObject(w.ctx, { actor: w.alice, objectUri: note })).ok);
});
