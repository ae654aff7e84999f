import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { resolveActor } from "../../actors/actor-resolver.ts";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { blockActor, unblockActor } from "./block-actor.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

/** alice and mallory follow each other. */
async function setUp(): Promise<{ w: OutboxWorld; mallory: string }> {
  const w = await createOutboxWorld();
  world = w;
  const mallory = w.addRemoteAccount({ username: "mallory", host: "evil.test" });
  assert.ok((await resolveActor(w.ctx, mallory)).ok);
  const createdAt = w.ctx.now().toISOString();
  await w.ctx.store.follows.put({ followerUri: w.alice.uri, followeeUri: mallory, activityUri: `${w.alice.uri}/activities/f1`, state: "accepted", createdAt });
  await w.ctx.store.follows.put({ followerUri: mallory, followeeUri: w.alice.uri, activityUri: `${mallory}#follows/9`, state: "accepted", createdAt });
  return { w, mallory };
}

test("a block is recorded and never sent; follows both ways end with the ordinary Undo and Reject", async () => {
  const { w, mallory } = await setUp();

  const result = await blockActor(w.ctx, { actor: w.alice, target: "@mallory@evil.test" });

  assert.ok(result.ok);
  assert.equal(result.deliveries, 0);
  const block = await w.ctx.store.blocks.get(w.alice.uri, mallory);
  assert.equal(block?.activityUri, result.activityUri);
  assert.equal((await w.activityDocument(result.activityUri)).type, "Block");
  assert.equal(await w.ctx.store.follows.get(w.alice.uri, mallory), null);
  assert.equal(await w.ctx.store.follows.get(mallory, w.alice.uri), null);

  assert.deepEqual(await w.deliveriesOf(result.activityUri), []);
  const sent = await w.ctx.store.activities.listByActor(w.alice.uri, { visibilities: ["public", "unlisted", "followers", "direct"] }, { limit: 10 });
  const types = sent.items.map((activity) => `${activity.type}(${String((activity.document.object as { type?: string }).type ?? "")})`);
  assert.deepEqual(types.sort(), ["Block()", "Reject(Follow)", "Undo(Follow)"]);
  for (const activity of sent.items.filter((a) => a.type !== "Block")) {
    assert.deepEqual(await w.deliveriesOf(activity.uri), ["https://evil.test/inbox"]);
  }
});

test("an account is blocked once, and not oneself", async () => {
  const { w, mallory } = await setUp();
  assert.ok((await blockActor(w.ctx, { actor: w.alice, target: mallory })).ok);

  const again = await blockActor(w.ctx, { actor: w.alice, target: mallory });
  const self = await blockActor(w.ctx, { actor: w.alice, target: w.alice.uri });

  assert.deepEqual([again, self].map((r) => (r.ok ? "ok" : r.reason)), ["alreadyBlocked", "self"]);
});

test("an account on an unreachable server can be blocked by URI", async () => {
  const w = await createOutboxWorld();
  world = w;

  const result = await blockActor(w.ctx, { actor: w.alice, target: "https://down.test/users/spammer" });

  assert.ok(result.ok);
  assert.ok(await w.ctx.store.blocks.get(w.alice.uri, "https://down.test/users/spammer"));
});

test("unblocking records an Undo embedding the Block, sends nothing, and lifts the block", async () => {
  const { w, mallory } = await setUp();
  const blocked = await blockActor(w.ctx, { actor: w.alice, target: mallory });
  assert.ok(blocked.ok);

  const result = await unblockActor(w.ctx, { actor: w.alice, target: mallory });

  assert.ok(result.ok);
  const undo = await w.activityDocument(result.activityUri);
  assert.equal(undo.type, "Undo");
  assert.equal((undo.object as Record<string, unknown>).id, blocked.activityUri);
  assert.equal(await w.ctx.store.blocks.get(w.alice.uri, mallory), null);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), []);
  const twice = await unblockActor(w.ctx, { actor: w.alice, target: mallory });
  assert.equal(twice.ok === false && twice.reason, "notBlocked");
});
