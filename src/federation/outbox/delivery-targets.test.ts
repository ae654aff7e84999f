import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { PUBLIC_COLLECTION } from "../../protocol/vocabulary.ts";
import { resolveActor } from "../actors/actor-resolver.ts";
import { deliveryTargets } from "./delivery-targets.ts";
import { createOutboxWorld, type OutboxWorld } from "./outbox-world.test-support.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

async function follow(w: OutboxWorld, followerUri: string, state: "accepted" | "pending" = "accepted"): Promise<void> {
  if (!w.ctx.uris.isLocal(followerUri)) {
    const resolved = await resolveActor(w.ctx, followerUri);
    assert.ok(resolved.ok, `fixture actor ${followerUri} resolves`);
  }
  await w.ctx.store.follows.put({
    followerUri,
    followeeUri: w.alice.uri,
    activityUri: `${followerUri}#follows/1`,
    state,
    createdAt: w.ctx.now().toISOString(),
  });
}

test("the followers collection expands to one delivery per shared inbox, keeping every follower it serves", async () => {
  world = await createOutboxWorld();
  const bob = world.addRemoteAccount({ username: "bob", host: "a.test" });
  const carol = world.addRemoteAccount({ username: "carol", host: "a.test" });
  const dave = world.addRemoteAccount({ username: "dave", host: "b.test", sharedInbox: false });
  const erin = world.addRemoteAccount({ username: "erin", host: "c.test" });
  for (const uri of [bob, carol, dave]) await follow(world, uri);
  await follow(world, erin, "pending");

  const targets = await deliveryTargets(world.ctx, {
    actor: world.alice,
    recipients: [PUBLIC_COLLECTION, world.alice.followersUri!],
  });

  const byInbox = new Map(targets.remote.map((target) => [target.inbox, [...target.recipientUris].sort()]));
  assert.deepEqual(
    byInbox,
    new Map([
      ["https://a.test/inbox", [bob, carol].sort()],
      ["https://b.test/users/dave/inbox", [dave]],
    ]),
  );
  assert.deepEqual(targets.local, []);
});

test("an addressed follower is delivered to once, at its shared inbox", async () => {
  world = await createOutboxWorld();
  const bob = world.addRemoteAccount({ username: "bob", host: "a.test" });
  await follow(world, bob);

  const targets = await deliveryTargets(world.ctx, { actor: world.alice, recipients: [world.alice.followersUri!, bob] });

  assert.deepEqual(targets.remote, [{ inbox: "https://a.test/inbox", recipientUris: [bob] }]);
});

test("a blind recipient is delivered to at its personal inbox, apart from the shared one", async () => {
  world = await createOutboxWorld();
  const bob = world.addRemoteAccount({ username: "bob", host: "a.test" });
  const carol = world.addRemoteAccount({ username: "carol", host: "a.test" });

  const targets = await deliveryTargets(world.ctx, { actor: world.alice, recipients: [bob, carol], hidden: [carol] });

  assert.deepEqual(targets.remote, [
    { inbox: "https://a.test/inbox", recipientUris: [bob] },
    { inbox: "https://a.test/users/carol/inbox", recipientUris: [carol] },
  ]);
});

test("the public collection is never a delivery target and needs no request", async () => {
  world = await createOutboxWorld();

  const targets = await deliveryTargets(world.ctx, { actor: world.alice, recipients: [PUBLIC_COLLECTION, "as:Public"] });

  assert.deepEqual(targets, { remote: [], local: [] });
  assert.equal(world.network.requests.length, 0);
});

test("local actors are split off, whether addressed or following, and the sender is left out", async () => {
  world = await createOutboxWorld();
  const bob = await world.addLocalActor("bob");
  const carol = await world.addLocalActor("carol");
  const remote = world.addRemoteAccount({ username: "dan", host: "a.test" });
  await follow(world, carol.uri);

  const targets = await deliveryTargets(world.ctx, {
    actor: world.alice,
    recipients: [bob.uri, world.alice.followersUri!, remote, world.alice.uri],
  });

  assert.deepEqual([...targets.local].sort(), [bob.uri, carol.uri].sort());
  assert.deepEqual(targets.remote, [{ inbox: "https://a.test/inbox", recipientUris: [remote] }]);
});

test("actors the sender blocks get nothing, as addressees or as followers", async () => {
  world = await createOutboxWorld();
  const bob = world.addRemoteAccount({ username: "bob", host: "a.test" });
  const mallory = world.addRemoteAccount({ username: "mallory", host: "evil.test" });
  const trent = world.addRemoteAccount({ username: "trent", host: "evil.test" });
  await follow(world, bob);
  await follow(world, mallory);
  for (const [index, target] of [mallory, trent].entries()) {
    await world.ctx.store.blocks.put({
      activityUri: `${world.alice.uri}/activities/block-${index}`,
      actorUri: world.alice.uri,
      targetUri: target,
      createdAt: world.ctx.now().toISOString(),
    });
  }

  const targets = await deliveryTargets(world.ctx, {
    actor: world.alice,
    recipients: [world.alice.followersUri!, mallory, trent],
  });

  assert.deepEqual(targets.remote, [{ inbox: "https://a.test/inbox", recipientUris: [bob] }]);
  // A blocked addressee is not even looked up.
  assert.equal(world.network.requestsTo(trent).length, 0);
});

test("an addressee that cannot be resolved is skipped and the rest still get the activity", async () => {
  world = await createOutboxWorld();
  const bob = world.addRemoteAccount({ username: "bob", host: "a.test" });
  world.network.route("https://down.test/users/zed", () => new Response("oops", { status: 500 }));

  const targets = await deliveryTargets(world.ctx, {
    actor: world.alice,
    recipients: ["https://gone.test/users/nobody", "https://down.test/users/zed", bob],
  });

  assert.deepEqual(targets.remote, [{ inbox: "https://a.test/inbox", recipientUris: [bob] }]);
});

test("collections other than the sender's own followers are not expanded", async () => {
  world = await createOutboxWorld();
  const bob = await world.addLocalActor("bob");
  const remoteFollowers = "https://a.test/users/someone/followers";

  const targets = await deliveryTargets(world.ctx, {
    actor: world.alice,
    recipients: [bob.followersUri!, remoteFollowers],
  });

  assert.deepEqual(targets, { remote: [], local: [] });
});
