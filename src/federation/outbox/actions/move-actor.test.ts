import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { resolveActor } from "../../actors/actor-resolver.ts";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { moveActor } from "./move-actor.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

async function setUp(): Promise<{ w: OutboxWorld; follower: string }> {
  const w = await createOutboxWorld();
  world = w;
  const follower = w.addRemoteAccount({ username: "bob", host: "a.test" });
  assert.ok((await resolveActor(w.ctx, follower)).ok);
  await w.ctx.store.follows.put({ followerUri: follower, followeeUri: w.alice.uri, activityUri: `${follower}#f`, state: "accepted", createdAt: w.ctx.now().toISOString() });
  return { w, follower };
}

test("a move to an account that lists the actor as an alias sets movedTo and sends Move to the followers", async () => {
  const { w } = await setUp();
  const target = w.addRemoteAccount({ username: "alice", host: "new.test", alsoKnownAs: [w.alice.uri] });

  const result = await moveActor(w.ctx, { actor: w.alice, target: "@alice@new.test" });

  assert.ok(result.ok);
  assert.equal(result.targetUri, target);
  const move = await w.activityDocument(result.activityUri);
  assert.deepEqual([move.type, move.actor, move.object, move.target], ["Move", w.alice.uri, w.alice.uri, target]);
  assert.equal((await w.ctx.store.actors.get(w.alice.uri))?.movedTo, target);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);
});

test("a move is refused while the new account does not list the actor", async () => {
  const { w } = await setUp();
  w.addRemoteAccount({ username: "alice", host: "new.test" });

  const result = await moveActor(w.ctx, { actor: w.alice, target: "https://new.test/users/alice" });

  assert.equal(result.ok === false && result.reason, "notAlias");
  assert.equal((await w.ctx.store.actors.get(w.alice.uri))?.movedTo, null);
  assert.deepEqual(await w.ctx.store.jobs.counts(), { pending: 0, done: 0, failed: 0 });
});

test("an alias added after the new account was cached is seen, because the account is fetched again", async () => {
  const { w } = await setUp();
  const target = w.addRemoteAccount({ username: "alice", host: "new.test" });
  assert.ok((await resolveActor(w.ctx, target)).ok);
  w.addRemoteAccount({ username: "alice", host: "new.test", alsoKnownAs: [w.alice.uri] });

  const result = await moveActor(w.ctx, { actor: w.alice, target });

  assert.ok(result.ok);
});

test("local followers follow the new account and stop following the old one", async () => {
  const { w } = await setUp();
  const carol = await w.addLocalActor("carol");
  await w.ctx.store.follows.put({ followerUri: carol.uri, followeeUri: w.alice.uri, activityUri: `${carol.uri}/activities/f`, state: "accepted", createdAt: w.ctx.now().toISOString() });
  const target = w.addRemoteAccount({ username: "alice", host: "new.test", alsoKnownAs: [w.alice.uri] });

  const result = await moveActor(w.ctx, { actor: w.alice, target });

  assert.ok(result.ok);
  assert.equal(result.localFollowersMoved, 1);
  assert.equal(await w.ctx.store.follows.get(carol.uri, w.alice.uri), null);
  assert.equal((await w.ctx.store.follows.get(carol.uri, target))?.state, "pending");
});
