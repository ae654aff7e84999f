import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { PUBLIC_COLLECTION } from "../../protocol/vocabulary.ts";
import type { ObjectRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import { resolveActor } from "../actors/actor-resolver.ts";
import type { DeliveryJobPayload } from "../delivery/delivery-job.ts";
import type { InboxJobPayload } from "../inbox/inbox-job.ts";
import { createOutboxWorld, type OutboxWorld } from "./outbox-world.test-support.ts";
import { publishActivity } from "./publish.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

/** A world where alice has a remote follower on a.test and a local follower, carol. */
async function worldWithFollowers(): Promise<{ w: OutboxWorld; bob: string; carol: string }> {
  const w = await createOutboxWorld();
  world = w;
  const bob = w.addRemoteAccount({ username: "bob", host: "a.test" });
  assert.ok((await resolveActor(w.ctx, bob)).ok);
  const carol = (await w.addLocalActor("carol")).uri;
  for (const followerUri of [bob, carol]) {
    await w.ctx.store.follows.put({
      followerUri,
      followeeUri: w.alice.uri,
      activityUri: `${followerUri}#follow`,
      state: "accepted",
      createdAt: w.ctx.now().toISOString(),
    });
  }
  return { w, bob, carol };
}

function noteOf(w: OutboxWorld, id: string): ObjectRecord {
  return {
    uri: id,
    type: "Note",
    attributedTo: w.alice.uri,
    local: true,
    visibility: "public",
    inReplyTo: null,
    published: w.ctx.now().toISOString(),
    updated: null,
    recipients: [w.alice.followersUri!],
    document: { id, type: "Note", attributedTo: w.alice.uri, content: "<p>hi</p>" },
    deletedAt: null,
    formerType: null,
  };
}

test("publishing stores the activity without blind recipients and queues one delivery per inbox plus a local inbox job", async () => {
  const { w, bob } = await worldWithFollowers();
  const dave = w.addRemoteAccount({ username: "dave", host: "b.test" });
  const activityUri = `${w.alice.uri}/activities/1`;
  const noteUri = `${w.alice.uri}/objects/1`;
  const activity = {
    id: activityUri,
    type: "Create",
    actor: w.alice.uri,
    to: [PUBLIC_COLLECTION],
    cc: [w.alice.followersUri!],
    bcc: [dave],
    object: { id: noteUri, type: "Note", bcc: [dave] },
  };

  const result = await publishActivity(w.ctx, { actor: w.alice, activity, object: noteOf(w, noteUri) });

  assert.deepEqual(result, { activityUri, deliveries: 2 });
  const stored = await w.ctx.store.activities.get(activityUri);
  assert.ok(stored);
  assert.equal(stored.visibility, "public");
  assert.equal(stored.objectUri, noteUri);
  assert.equal(stored.published, w.ctx.now().toISOString());
  assert.deepEqual([...stored.recipients].sort(), [w.alice.followersUri!, dave].sort());
  assert.equal("bcc" in stored.document, false);
  assert.equal("bcc" in (stored.document.object as Record<string, unknown>), false);
  assert.equal(stored.document.published, w.ctx.now().toISOString());
  assert.ok(await w.ctx.store.objects.get(noteUri));

  const deliveries = await w.takeJobs("deliver");
  const payloads = deliveries.map((job) => job.payload as DeliveryJobPayload).sort((a, b) => a.inbox.localeCompare(b.inbox));
  assert.deepEqual(payloads, [
    { activityUri, inbox: "https://a.test/inbox", signerUri: w.alice.uri, recipientUris: [bob] },
    // Blind recipients get the activity at their own inbox: the shared one could not tell whom it is for.
    { activityUri, inbox: "https://b.test/users/dave/inbox", signerUri: w.alice.uri, recipientUris: [dave] },
  ]);
  assert.deepEqual(
    deliveries.map((job) => job.dedupeKey).sort(),
    [`deliver:${activityUri}:https://a.test/inbox`, `deliver:${activityUri}:https://b.test/users/dave/inbox`],
  );
  assert.ok(deliveries.every((job) => job.groupKey === activityUri));

  const [inboxJob, ...more] = await w.takeJobs("inbox");
  assert.equal(more.length, 0);
  assert.ok(inboxJob);
  assert.equal(inboxJob.dedupeKey, `inbox:${activityUri}`);
  const payload = inboxJob.payload as InboxJobPayload;
  assert.equal(payload.signerUri, w.alice.uri);
  assert.equal(payload.local, true);
  assert.equal(payload.activity.id, activityUri);
  assert.equal(payload.receivedAt, w.ctx.now().toISOString());

  assert.deepEqual([...w.ctx.queuedNotifications].sort(), ["deliver", "inbox"]);
});

test("a failure inside the transaction leaves no activity, no object, no job and no notification", async () => {
  const { w } = await worldWithFollowers();
  const failingStore: Store = Object.create(w.ctx.store, {
    transaction: {
      value: <T>(fn: (tx: Store) => Promise<T>) =>
        w.ctx.store.transaction(async (tx) => {
          await fn(tx);
          throw new Error("the disk is full");
        }),
    },
  });
  const ctx = { ...w.ctx, store: failingStore };
  const activityUri = `${w.alice.uri}/activities/2`;
  const noteUri = `${w.alice.uri}/objects/2`;

  await assert.rejects(
    publishActivity(ctx, {
      actor: w.alice,
      activity: { id: activityUri, type: "Create", actor: w.alice.uri, to: [w.alice.followersUri!], object: noteUri },
      object: noteOf(w, noteUri),
    }),
    /the disk is full/,
  );

  assert.equal(await w.ctx.store.activities.get(activityUri), null);
  assert.equal(await w.ctx.store.objects.get(noteUri), null);
  assert.deepEqual(await w.ctx.store.jobs.counts(), { pending: 0, done: 0, failed: 0 });
  assert.deepEqual(w.ctx.queuedNotifications, []);
});

test("writes that come with the activity commit with it, and roll back with it", async () => {
  const { w } = await worldWithFollowers();
  const activityUri = `${w.alice.uri}/activities/3`;
  await assert.rejects(
    publishActivity(w.ctx, {
      actor: w.alice,
      activity: { id: activityUri, type: "Like", actor: w.alice.uri, to: [w.alice.followersUri!], object: "https://a.test/notes/1" },
      alsoWrite: async (tx) => {
        await tx.reactions.add({ activityUri, type: "Like", actorUri: w.alice.uri, objectUri: "https://a.test/notes/1", createdAt: w.ctx.now().toISOString() });
        throw new Error("constraint violated");
      },
    }),
    /constraint violated/,
  );
  assert.equal(await w.ctx.store.reactions.getByActivity(activityUri), null);
  assert.equal(await w.ctx.store.activities.get(activityUri), null);
  assert.deepEqual(await w.ctx.store.jobs.counts(), { pending: 0, done: 0, failed: 0 });
});

test("a Block is stored but nothing is queued for anyone", async () => {
  const { w, bob } = await worldWithFollowers();
  const activityUri = `${w.alice.uri}/activities/4`;

  const result = await publishActivity(w.ctx, {
    actor: w.alice,
    activity: { id: activityUri, type: "Block", actor: w.alice.uri, to: [bob], cc: [w.alice.followersUri!], object: bob },
  });

  assert.deepEqual(result, { activityUri, deliveries: 0 });
  assert.equal((await w.ctx.store.activities.get(activityUri))?.type, "Block");
  assert.deepEqual(await w.ctx.store.jobs.counts(), { pending: 0, done: 0, failed: 0 });
  assert.deepEqual(w.ctx.queuedNotifications, []);
});

test("a Reject reaches a blocked actor, while anything else to it is held back", async () => {
  const { w, bob } = await worldWithFollowers();
  await w.ctx.store.blocks.put({ activityUri: `${w.alice.uri}/activities/b`, actorUri: w.alice.uri, targetUri: bob, createdAt: w.ctx.now().toISOString() });

  const like = await publishActivity(w.ctx, {
    actor: w.alice,
    activity: { id: `${w.alice.uri}/activities/l`, type: "Like", actor: w.alice.uri, to: [bob], object: `${bob}/notes/1` },
  });
  const reject = await publishActivity(w.ctx, {
    actor: w.alice,
    activity: { id: `${w.alice.uri}/activities/r`, type: "Reject", actor: w.alice.uri, to: [bob], object: `${bob}#follow` },
  });

  assert.equal(like.deliveries, 0);
  assert.equal(reject.deliveries, 1);
});

test("publishing the same activity again queues nothing more", async () => {
  const { w } = await worldWithFollowers();
  const activity = { id: `${w.alice.uri}/activities/5`, type: "Announce", actor: w.alice.uri, to: [w.alice.followersUri!], object: "https://a.test/notes/1" };
  await publishActivity(w.ctx, { actor: w.alice, activity });
  const before = await w.ctx.store.jobs.counts();

  const again = await publishActivity(w.ctx, { actor: w.alice, activity });

  assert.equal(again.deliveries, 0);
  assert.deepEqual(await w.ctx.store.jobs.counts(), before);
});

test("a given published time is kept", async () => {
  const { w } = await worldWithFollowers();
  const activityUri = `${w.alice.uri}/activities/6`;
  await publishActivity(w.ctx, {
    actor: w.alice,
    activity: { id: activityUri, type: "Like", actor: w.alice.uri, object: "https://a.test/notes/1", published: "2024-01-02T03:04:05.000Z" },
  });
  assert.equal((await w.ctx.store.activities.get(activityUri))?.published, "2024-01-02T03:04:05.000Z");
});

test("an activity without an id, or by someone else, is refused as a programming error", async () => {
  const { w, bob } = await worldWithFollowers();
  await assert.rejects(publishActivity(w.ctx, { actor: w.alice, activity: { type: "Like", actor: w.alice.uri, object: bob } }), TypeError);
  await assert.rejects(
    publishActivity(w.ctx, { actor: w.alice, activity: { id: `${w.alice.uri}/activities/7`, type: "Like", actor: bob, object: bob } }),
    TypeError,
  );
});
