import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { followActor } from "./follow-actor.ts";
import { unfollowActor } from "./unfollow-actor.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

async function setUp(): Promise<{ w: OutboxWorld; bob: string }> {
  const w = await createOutboxWorld();
  world = w;
  return { w, bob: w.addRemoteAccount({ username: "bob", host: "a.test" }) };
}

test("following a handle sends a Follow and stores a pending follow under the Follow's id", async () => {
  const { w, bob } = await setUp();

  const result = await followActor(w.ctx, { actor: w.alice, target: "@bob@a.test" });

  assert.ok(result.ok);
  assert.equal(result.targetUri, bob);
  const follow = await w.activityDocument(result.activityUri);
  assert.equal(follow.type, "Follow");
  assert.equal(follow.actor, w.alice.uri);
  assert.equal(follow.object, bob);
  assert.deepEqual(follow.to, [bob]);
  const stored = await w.ctx.store.follows.get(w.alice.uri, bob);
  assert.equal(stored?.state, "pending");
  assert.equal(stored?.activityUri, result.activityUri);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);
});

test("an account is not followed twice, nor oneself, nor a blocked account", async () => {
  const { w, bob } = await setUp();
  const mallory = w.addRemoteAccount({ username: "mallory", host: "evil.test" });
  await w.ctx.store.blocks.put({ activityUri: `${w.alice.uri}/activities/b`, actorUri: w.alice.uri, targetUri: mallory, createdAt: w.ctx.now().toISOString() });
  assert.ok((await followActor(w.ctx, { actor: w.alice, target: bob })).ok);

  const again = await followActor(w.ctx, { actor: w.alice, target: bob });
  const self = await followActor(w.ctx, { actor: w.alice, target: "@alice@local.test" });
  const blocked = await followActor(w.ctx, { actor: w.alice, target: mallory });
  const unknown = await followActor(w.ctx, { actor: w.alice, target: "@ghost@a.test" });
  const nonsense = await followActor(w.ctx, { actor: w.alice, target: "not an account" });

  assert.deepEqual(
    [again, self, blocked, unknown, nonsense].map((r) => (r.ok ? "ok" : r.reason)),
    ["alreadyFollowing", "self", "blocked", "accountNotFound", "invalidAccount"],
  );
});

test("following a local account goes through the local inbox queue, not the network", async () => {
  const { w } = await setUp();
  const carol = await w.addLocalActor("carol");

  const result = await followActor(w.ctx, { actor: w.alice, target: "@carol@local.test" });

  assert.ok(result.ok);
  assert.equal(result.deliveries, 0);
  assert.equal((await w.ctx.store.follows.get(w.alice.uri, carol.uri))?.state, "pending");
  const [job] = await w.takeJobs("inbox");
  assert.equal((job?.payload as { activity: { id: string } }).activity.id, result.activityUri);
  assert.deepEqual(w.network.requests, []);
});

test("unfollowing sends Undo with the original Follow embedded and removes the follow", async () => {
  const { w, bob } = await setUp();
  const followed = await followActor(w.ctx, { actor: w.alice, target: bob });
  assert.ok(followed.ok);
  await w.ctx.store.follows.setState(w.alice.uri, bob, "accepted");

  const result = await unfollowActor(w.ctx, { actor: w.alice, target: "@bob@a.test" });

  assert.ok(result.ok);
  const undo = await w.activityDocument(result.activityUri);
  assert.equal(undo.type, "Undo");
  assert.deepEqual(undo.to, [bob]);
  const embedded = undo.object as Record<string, unknown>;
  assert.deepEqual([embedded.id, embedded.type, embedded.actor, embedded.object], [followed.activityUri, "Follow", w.alice.uri, bob]);
  assert.equal(await w.ctx.store.follows.get(w.alice.uri, bob), null);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);
});

test("unfollowing an account that is not followed is refused", async () => {
  const { w, bob } = await setUp();

  const result = await unfollowActor(w.ctx, { actor: w.alice, target: bob });

  assert.equal(result.ok === false && result.reason, "notFollowing");
});

test("an account whose server is gone can still be unfollowed by URI", async () => {
  const { w } = await setUp();
  const gone = "https://gone.test/users/zed";
  await w.ctx.store.follows.put({ followerUri: w.alice.uri, followeeUri: gone, activityUri: `${w.alice.uri}/activities/f`, state: "accepted", createdAt: w.ctx.now().toISOString() });

  const result = await unfollowActor(w.ctx, { actor: w.alice, target: gone });

  assert.ok(result.ok);
  assert.equal(result.deliveries, 0);
  assert.equal(await w.ctx.store.follows.get(w.alice.uri, gone), null);
  const undo = await w.activityDocument(result.activityUri);
  assert.deepEqual(undo.object, { id: `${w.alice.uri}/activities/f`, type: "Follow", actor: w.alice.uri, object: gone });
});
