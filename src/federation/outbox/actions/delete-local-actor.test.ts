import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import { resolveActor } from "../../actors/actor-resolver.ts";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { createPost } from "./create-post.ts";
import { deleteLocalActor } from "./delete-local-actor.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

test("deleting an actor tells its followers and the accounts it follows, and keeps its keys", async () => {
  const w = await createOutboxWorld();
  world = w;
  const follower = w.addRemoteAccount({ username: "bob", host: "a.test" });
  const followee = w.addRemoteAccount({ username: "carol", host: "c.test", sharedInbox: false });
  for (const uri of [follower, followee]) assert.ok((await resolveActor(w.ctx, uri)).ok);
  const createdAt = w.ctx.now().toISOString();
  await w.ctx.store.follows.put({ followerUri: follower, followeeUri: w.alice.uri, activityUri: `${follower}#f`, state: "accepted", createdAt });
  await w.ctx.store.follows.put({ followerUri: w.alice.uri, followeeUri: followee, activityUri: `${w.alice.uri}/activities/f`, state: "accepted", createdAt });

  const result = await deleteLocalActor(w.ctx, { actor: w.alice });

  assert.ok(result.ok);
  const activity = await w.activityDocument(result.activityUri);
  assert.deepEqual([activity.type, activity.object, activity.to], ["Delete", w.alice.uri, [PUBLIC_COLLECTION]]);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox", "https://c.test/users/carol/inbox"]);
  const stored = await w.ctx.store.actors.get(w.alice.uri);
  assert.equal(stored?.deletedAt, w.ctx.now().toISOString());
  assert.equal((await w.ctx.store.keys.listForOwner(w.alice.uri)).length, 1);
  assert.equal(await w.ctx.store.follows.countFollowers(w.alice.uri, "accepted"), 0);
  assert.equal(await w.ctx.store.follows.countFollowing(w.alice.uri, "accepted"), 0);
});

test("a deleted actor cannot be deleted again, nor post", async () => {
  const w = await createOutboxWorld();
  world = w;
  assert.ok((await deleteLocalActor(w.ctx, { actor: w.alice })).ok);
  const deleted = (await w.ctx.store.actors.get(w.alice.uri))!;

  const again = await deleteLocalActor(w.ctx, { actor: deleted });
  const post = await createPost(w.ctx, { actor: deleted, text: "hello?" });

  assert.deepEqual([again, post].map((r) => (r.ok ? "ok" : r.reason)), ["actorDeleted", "actorDeleted"]);
});
