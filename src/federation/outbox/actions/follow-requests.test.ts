import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { resolveActor } from "../../actors/actor-resolver.ts";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { acceptFollower, rejectFollower } from "./follow-requests.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

const FOLLOW_ID = "https://a.test/0b8f3a52-5e1c-4c1e-9a53-6f3d2f1e9c11";

/** bob asked to follow alice. */
async function setUp(): Promise<{ w: OutboxWorld; bob: string }> {
  const w = await createOutboxWorld();
  world = w;
  const bob = w.addRemoteAccount({ username: "bob", host: "a.test" });
  assert.ok((await resolveActor(w.ctx, bob)).ok);
  await w.ctx.store.follows.put({ followerUri: bob, followeeUri: w.alice.uri, activityUri: FOLLOW_ID, state: "pending", createdAt: w.ctx.now().toISOString() });
  return { w, bob };
}

test("accepting a request sends Accept embedding the Follow and makes the follow accepted", async () => {
  const { w, bob } = await setUp();

  const result = await acceptFollower(w.ctx, { actor: w.alice, follower: bob });

  assert.ok(result.ok);
  const accept = await w.activityDocument(result.activityUri);
  assert.equal(accept.type, "Accept");
  assert.deepEqual(accept.to, [bob]);
  assert.deepEqual(accept.object, { id: FOLLOW_ID, type: "Follow", actor: bob, object: w.alice.uri });
  assert.equal((await w.ctx.store.follows.get(bob, w.alice.uri))?.state, "accepted");
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);

  const again = await acceptFollower(w.ctx, { actor: w.alice, follower: bob });
  assert.equal(again.ok === false && again.reason, "alreadyAccepted");
});

test("rejecting a request sends Reject embedding the Follow and forgets the follow", async () => {
  const { w, bob } = await setUp();

  const result = await rejectFollower(w.ctx, { actor: w.alice, follower: bob });

  assert.ok(result.ok);
  const reject = await w.activityDocument(result.activityUri);
  assert.equal(reject.type, "Reject");
  assert.deepEqual(reject.object, { id: FOLLOW_ID, type: "Follow", actor: bob, object: w.alice.uri });
  assert.equal(await w.ctx.store.follows.get(bob, w.alice.uri), null);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);
});

test("there is nothing to accept or reject without a request", async () => {
  const { w } = await setUp();
  const stranger = "https://a.test/users/stranger";

  const accepted = await acceptFollower(w.ctx, { actor: w.alice, follower: stranger });
  const rejected = await rejectFollower(w.ctx, { actor: w.alice, follower: stranger });

  assert.deepEqual([accepted, rejected].map((r) => (r.ok ? "ok" : r.reason)), ["noRequest", "noRequest"]);
});
