import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import { resolveActor } from "../../actors/actor-resolver.ts";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { updateProfile } from "./update-profile.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

async function setUp(): Promise<OutboxWorld> {
  const w = await createOutboxWorld();
  world = w;
  const bob = w.addRemoteAccount({ username: "bob", host: "a.test" });
  assert.ok((await resolveActor(w.ctx, bob)).ok);
  await w.ctx.store.follows.put({ followerUri: bob, followeeUri: w.alice.uri, activityUri: `${bob}#f`, state: "accepted", createdAt: w.ctx.now().toISOString() });
  return w;
}

test("a profile change is stored and the whole actor document goes to the followers in an Update", async () => {
  const w = await setUp();

  const result = await updateProfile(w.ctx, {
    actor: w.alice,
    changes: {
      name: "Alice A.",
      summary: "<p>Hi <script>alert(1)</script>there</p>",
      fields: [{ name: "Site", value: "https://alice.example" }],
      manuallyApprovesFollowers: true,
    },
  });

  assert.ok(result.ok);
  const stored = await w.ctx.store.actors.get(w.alice.uri);
  assert.equal(stored?.name, "Alice A.");
  assert.equal(stored?.summary?.includes("<script"), false);
  assert.match(stored?.summary ?? "", /Hi/);
  assert.deepEqual(stored?.fields, [{ name: "Site", value: "https://alice.example" }]);
  assert.equal(stored?.manuallyApprovesFollowers, true);

  const update = await w.activityDocument(result.activityUri);
  assert.deepEqual([update.type, update.to, update.cc], ["Update", [PUBLIC_COLLECTION], [w.alice.followersUri]]);
  const person = update.object as Record<string, unknown>;
  assert.equal(person.id, w.alice.uri);
  assert.equal(person.name, "Alice A.");
  assert.equal(person.summary, stored?.summary);
  assert.equal(person.manuallyApprovesFollowers, true);
  const key = await w.ctx.store.keys.get(w.ctx.uris.key("alice"));
  assert.deepEqual(person.publicKey, { id: key?.keyId, owner: w.alice.uri, publicKeyPem: key?.publicKeyPem });
  assert.equal((person.attachment as { name: string }[])[0]?.name, "Site");
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);
});

test("unchanged fields stay as they were", async () => {
  const w = await setUp();

  const result = await updateProfile(w.ctx, { actor: w.alice, changes: { discoverable: false } });

  assert.ok(result.ok);
  assert.equal(result.actor.name, "Alice");
  assert.equal(result.actor.discoverable, false);
});

test("invalid changes are refused and nothing is stored or sent", async () => {
  const w = await setUp();

  const results = await Promise.all([
    updateProfile(w.ctx, { actor: w.alice, changes: { iconUrl: "javascript:alert(1)" } }),
    updateProfile(w.ctx, { actor: w.alice, changes: { fields: Array.from({ length: 17 }, (_, i) => ({ name: `f${i}`, value: "v" })) } }),
    updateProfile(w.ctx, { actor: w.alice, changes: { alsoKnownAs: ["not a uri"] } }),
  ]);

  assert.deepEqual(results.map((r) => (r.ok ? "ok" : r.reason)), ["invalidChanges", "invalidChanges", "invalidChanges"]);
  assert.equal((await w.ctx.store.actors.get(w.alice.uri))?.name, "Alice");
  assert.deepEqual(await w.ctx.store.jobs.counts(), { pending: 0, done: 0, failed: 0 });
});
