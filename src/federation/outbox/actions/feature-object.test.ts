import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { createPost } from "./create-post.ts";
import { featureObject, MAX_FEATURED, unfeatureObject } from "./feature-object.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

async function post(w: OutboxWorld, visibility: "public" | "followers" = "public"): Promise<string> {
  const created = await createPost(w.ctx, { actor: w.alice, text: "pin me", visibility });
  assert.ok(created.ok);
  return created.objectUri;
}

test("pinning adds the post to the featured collection and sends Add targeting it", async () => {
  const w = await createOutboxWorld();
  world = w;
  const objectUri = await post(w);

  const result = await featureObject(w.ctx, { actor: w.alice, objectUri });

  assert.ok(result.ok);
  const add = await w.activityDocument(result.activityUri);
  assert.deepEqual([add.type, add.object, add.target], ["Add", objectUri, w.ctx.uris.featured("alice")]);
  assert.equal(await w.ctx.store.collections.has(w.ctx.uris.featured("alice"), objectUri), true);
});

test("unpinning removes the post and sends Remove targeting the featured collection", async () => {
  const w = await createOutboxWorld();
  world = w;
  const objectUri = await post(w);
  assert.ok((await featureObject(w.ctx, { actor: w.alice, objectUri })).ok);

  const result = await unfeatureObject(w.ctx, { actor: w.alice, objectUri });

  assert.ok(result.ok);
  const remove = await w.activityDocument(result.activityUri);
  assert.deepEqual([remove.type, remove.object, remove.target], ["Remove", objectUri, w.ctx.uris.featured("alice")]);
  assert.equal(await w.ctx.store.collections.has(w.ctx.uris.featured("alice"), objectUri), false);
  const twice = await unfeatureObject(w.ctx, { actor: w.alice, objectUri });
  assert.equal(twice.ok === false && twice.reason, "notFeatured");
});

test("only own public posts can be pinned, once each, and only a few", async () => {
  const w = await createOutboxWorld();
  world = w;
  const bob = await w.addLocalActor("bob");
  const hidden = await post(w, "followers");
  const pinned: string[] = [];
  for (let i = 0; i < MAX_FEATURED; i++) pinned.push(await post(w));
  for (const objectUri of pinned) assert.ok((await featureObject(w.ctx, { actor: w.alice, objectUri })).ok);
  const extra = await post(w);

  const results = [
    await featureObject(w.ctx, { actor: w.alice, objectUri: hidden }),
    await featureObject(w.ctx, { actor: bob, objectUri: extra }),
    await featureObject(w.ctx, { actor: w.alice, objectUri: pinned[0]! }),
    await featureObject(w.ctx, { actor: w.alice, objectUri: extra }),
  ];

  assert.deepEqual(results.map((r) => (r.ok ? "ok" : r.reason)), ["notPublic", "notYours", "alreadyFeatured", "tooManyFeatured"]);
});
