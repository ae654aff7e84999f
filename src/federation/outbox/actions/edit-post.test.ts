import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { createPost } from "./create-post.ts";
import { editPost } from "./edit-post.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

async function setUp(): Promise<{ w: OutboxWorld; bob: string; objectUri: string }> {
  const w = await createOutboxWorld();
  world = w;
  const bob = w.addRemoteAccount({ username: "bob", host: "a.test" });
  const created = await createPost(w.ctx, { actor: w.alice, text: "first @bob@a.test", visibility: "followers", summary: "cw", language: "de" });
  assert.ok(created.ok);
  return { w, bob, objectUri: created.objectUri };
}

test("an edit publishes the new version in an Update to the original audience, with a newer updated time", async () => {
  const { w, bob, objectUri } = await setUp();
  const original = await w.ctx.store.objects.get(objectUri);
  w.advance(60_000);

  const result = await editPost(w.ctx, { actor: w.alice, objectUri, text: "second @bob@a.test" });

  assert.ok(result.ok);
  const update = await w.activityDocument(result.activityUri);
  const note = update.object as Record<string, unknown>;
  assert.equal(update.type, "Update");
  assert.equal(note.id, objectUri);
  assert.match(String(note.content), /^<p>second /);
  assert.equal(note.updated, w.ctx.now().toISOString());
  assert.equal(note.published, original?.published);
  assert.deepEqual(note.to, [w.alice.followersUri]);
  assert.deepEqual(note.cc, [bob]);
  assert.deepEqual([update.to, update.cc], [note.to, note.cc]);
  // Content warning and language carry over when not given.
  assert.equal(note.summary, "cw");
  assert.deepEqual(Object.keys(note.contentMap as object), ["de"]);

  const stored = await w.ctx.store.objects.get(objectUri);
  assert.equal(stored?.updated, w.ctx.now().toISOString());
  assert.match(String(stored?.document.content), /^<p>second /);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);
});

test("two edits in the same millisecond still get strictly increasing updated times", async () => {
  const { w, objectUri } = await setUp();

  const first = await editPost(w.ctx, { actor: w.alice, objectUri, text: "one" });
  const second = await editPost(w.ctx, { actor: w.alice, objectUri, text: "two" });

  assert.ok(first.ok && second.ok);
  assert.ok(Date.parse(first.updated) > Date.parse((await w.ctx.store.objects.get(objectUri))!.published!));
  assert.ok(Date.parse(second.updated) > Date.parse(first.updated));
});

test("an empty summary removes the content warning; a newly mentioned account is added to the audience", async () => {
  const { w, bob, objectUri } = await setUp();
  const carol = w.addRemoteAccount({ username: "carol", host: "c.test" });

  const result = await editPost(w.ctx, { actor: w.alice, objectUri, text: "now with @carol@c.test", summary: "" });

  assert.ok(result.ok);
  const note = (await w.activityDocument(result.activityUri)).object as Record<string, unknown>;
  assert.equal(note.summary, null);
  assert.equal(note.sensitive, false);
  assert.deepEqual(note.cc, [bob, carol]);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox", "https://c.test/inbox"]);
});

test("only the author's own live posts can be edited", async () => {
  const { w, objectUri } = await setUp();
  const bob = await w.addLocalActor("bob");

  const notYours = await editPost(w.ctx, { actor: bob, objectUri, text: "mine now" });
  const missing = await editPost(w.ctx, { actor: w.alice, objectUri: `${w.alice.uri}/objects/nope`, text: "x" });
  await w.ctx.store.objects.tombstone(objectUri, { deletedAt: w.ctx.now().toISOString(), formerType: "Note", tombstone: { id: objectUri, type: "Tombstone" } });
  const deleted = await editPost(w.ctx, { actor: w.alice, objectUri, text: "back" });

  assert.deepEqual([notYours, missing, deleted].map((r) => (r.ok ? "ok" : r.reason)), ["notYours", "objectNotFound", "objectDeleted"]);
});

test("a public post stays public after an edit", async () => {
  const w = await createOutboxWorld();
  world = w;
  const created = await createPost(w.ctx, { actor: w.alice, text: "hello" });
  assert.ok(created.ok);

  const result = await editPost(w.ctx, { actor: w.alice, objectUri: created.objectUri, text: "hello again" });

  assert.ok(result.ok);
  const note = (await w.activityDocument(result.activityUri)).object as Record<string, unknown>;
  assert.deepEqual(note.to, [PUBLIC_COLLECTION]);
  assert.equal((await w.ctx.store.activities.get(result.activityUri))?.visibility, "public");
});
