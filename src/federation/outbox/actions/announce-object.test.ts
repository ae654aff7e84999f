import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import { resolveActor } from "../../actors/actor-resolver.ts";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { announceObject, unannounceObject } from "./announce-object.ts";
import { createPost } from "./create-post.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

async function setUp(): Promise<{ w: OutboxWorld; bob: string; carol: string }> {
  const w = await createOutboxWorld();
  world = w;
  const bob = w.addRemoteAccount({ username: "bob", host: "a.test" });
  const carol = w.addRemoteAccount({ username: "carol", host: "c.test" });
  assert.ok((await resolveActor(w.ctx, carol)).ok);
  await w.ctx.store.follows.put({ followerUri: carol, followeeUri: w.alice.uri, activityUri: `${carol}#f`, state: "accepted", createdAt: w.ctx.now().toISOString() });
  return { w, bob, carol };
}

test("boosting a public post announces it to Public, cc its author and the followers", async () => {
  const { w, bob } = await setUp();
  const note = w.addRemoteNote({ authorUri: bob, id: `${bob}/statuses/1`, to: [PUBLIC_COLLECTION], cc: [`${bob}/followers`] });

  const result = await announceObject(w.ctx, { actor: w.alice, objectUri: note });

  assert.ok(result.ok);
  const announce = await w.activityDocument(result.activityUri);
  assert.deepEqual(
    [announce.type, announce.object, announce.to, announce.cc],
    ["Announce", note, [PUBLIC_COLLECTION], [bob, w.alice.followersUri]],
  );
  assert.equal((await w.ctx.store.reactions.getByActivity(result.activityUri))?.type, "Announce");
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox", "https://c.test/inbox"]);
});

test("unlisted posts can be boosted; followers-only and direct posts cannot", async () => {
  const { w, bob } = await setUp();
  const unlisted = w.addRemoteNote({ authorUri: bob, id: `${bob}/statuses/2`, to: [`${bob}/followers`], cc: [PUBLIC_COLLECTION] });
  const followersOnly = w.addRemoteNote({ authorUri: bob, id: `${bob}/statuses/3`, to: [`${bob}/followers`], cc: [] });
  const direct = w.addRemoteNote({ authorUri: bob, id: `${bob}/statuses/4`, to: [w.alice.uri], cc: [] });

  const results = await Promise.all(
    [unlisted, followersOnly, direct].map((objectUri) => announceObject(w.ctx, { actor: w.alice, objectUri })),
  );

  assert.deepEqual(results.map((r) => (r.ok ? "ok" : r.reason)), ["ok", "notPublic", "notPublic"]);
});

test("boosting one's own post does not address oneself", async () => {
  const { w } = await setUp();
  const created = await createPost(w.ctx, { actor: w.alice, text: "self boost" });
  assert.ok(created.ok);

  const result = await announceObject(w.ctx, { actor: w.alice, objectUri: created.objectUri });

  assert.ok(result.ok);
  assert.deepEqual((await w.activityDocument(result.activityUri)).cc, [w.alice.followersUri]);
});

test("taking a boost back sends Undo with the Announce embedded to the same audience", async () => {
  const { w, bob } = await setUp();
  const note = w.addRemoteNote({ authorUri: bob, id: `${bob}/statuses/1`, to: [PUBLIC_COLLECTION], cc: [] });
  const boosted = await announceObject(w.ctx, { actor: w.alice, objectUri: note });
  assert.ok(boosted.ok);
  const again = await announceObject(w.ctx, { actor: w.alice, objectUri: note });
  assert.equal(again.ok === false && again.reason, "alreadyAnnounced");

  const result = await unannounceObject(w.ctx, { actor: w.alice, objectUri: note });

  assert.ok(result.ok);
  const undo = await w.activityDocument(result.activityUri);
  assert.deepEqual([undo.type, undo.to, undo.cc], ["Undo", [PUBLIC_COLLECTION], [bob, w.alice.followersUri]]);
  assert.equal((undo.object as Record<string, unknown>).id, boosted.activityUri);
  assert.equal(await w.ctx.store.reactions.getByActivity(boosted.activityUri), null);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox", "https://c.test/inbox"]);
  const twice = await unannounceObject(w.ctx, { actor: w.alice, objectUri: note });
  assert.equal(twice.ok === false && twice.reason, "notAnnounced");
});
