import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { InboxPlugin, InboxPluginEvent } from "./plugins.ts";
import {
  createInboxTestBed,
  jobRecord,
  readFixture,
  remoteActor,
  type InboxTestBed,
} from "./inbox.test-support.ts";
import type { InboxJobPayload } from "./inbox-job.ts";
import { handleInboxJob, INBOX_QUEUE } from "./process.ts";

const alice = remoteActor({ username: "alice" });
const BOB = "https://outpost.example/users/bob";
const NOTE_ID = "https://mastodon.example/users/alice/statuses/113456789012345678";
const ALL_VISIBILITIES = ["public", "unlisted", "followers", "direct"] as const;

function payloadOf(activity: Record<string, unknown>, extra: Partial<InboxJobPayload> = {}): InboxJobPayload {
  return { activity, signerUri: alice.uri, receivedAt: "2024-11-12T09:30:05.000Z", ...extra };
}

/** A plugin that records what it saw. */
function recordingPlugin(overrides: Partial<InboxPlugin> = {}): InboxPlugin & { seen: InboxPluginEvent[] } {
  const seen: InboxPluginEvent[] = [];
  return {
    name: "recorder",
    types: "*",
    async handle(event) {
      seen.push(event);
    },
    ...overrides,
    seen,
  };
}

describe("handleInboxJob", () => {
  let bed: InboxTestBed;
  let plugin: ReturnType<typeof recordingPlugin>;

  beforeEach(async () => {
    plugin = recordingPlugin();
    bed = await createInboxTestBed({ plugins: [plugin] });
    await bed.addLocal({ username: "bob" });
    await bed.storeRemote(alice);
    bed.acceptDeliveries(alice.sharedInbox);
  });

  afterEach(async () => {
    await bed.close();
  });

  const run = (payload: unknown, attempts = 0) =>
    handleInboxJob(bed.ctx, jobRecord({ queue: INBOX_QUEUE, payload, attempts }));
  const inboxOf = async (actorUri: string) =>
    (await bed.ctx.store.inbox.list(actorUri, { visibilities: ALL_VISIBILITIES }, { limit: 20 })).items.map(
      (activity) => activity.uri,
    );

  it("applies an activity, records it with an inbox entry for its local recipient, and tells plugins", async () => {
    const create = readFixture("mastodon/create-note-public.json");
    assert.deepEqual(await run(payloadOf(create)), { kind: "done" });

    assert.notEqual(await bed.ctx.store.objects.get(NOTE_ID), null);
    const recorded = await bed.ctx.store.activities.get(create.id as string);
    assert.equal(recorded?.local, false);
    assert.equal(recorded?.visibility, "public");
    assert.deepEqual(await inboxOf(BOB), [create.id]);
    assert.deepEqual(plugin.seen.map((event) => [event.activity.id, event.localRecipients, event.signerUri]), [
      [create.id, [BOB], alice.uri],
    ]);
  });

  it("processes an activity id seen before only once", async () => {
    const follow = readFixture("mastodon/follow.json");
    await run(payloadOf(follow));
    await run(payloadOf(follow));
    const accepts = await bed.ctx.store.activities.listByActor(
      BOB,
      { visibilities: ALL_VISIBILITIES, types: ["Accept"] },
      { limit: 10 },
    );
    assert.equal(accepts.items.length, 1);
    assert.equal(plugin.seen.length, 1);
  });

  it("delivers a followers-only post through the shared inbox to the local followers of its author", async () => {
    await bed.ctx.store.follows.put({
      followerUri: BOB,
      followeeUri: alice.uri,
      activityUri: `${BOB}/activities/follow-1`,
      state: "accepted",
      createdAt: new Date().toISOString(),
    });
    const note = readFixture("mastodon/note-followers-only.json");
    const create = {
      id: `${note.id as string}/activity`,
      type: "Create",
      actor: alice.uri,
      to: note.to,
      cc: note.cc,
      object: note,
    };
    await run(payloadOf(create));
    assert.deepEqual(await inboxOf(BOB), [create.id]);
    assert.equal((await bed.ctx.store.objects.get(note.id as string))?.visibility, "followers");
  });

  it("drops an activity addressed to a local actor who blocks the sender", async () => {
    await bed.ctx.store.blocks.put({
      activityUri: `${BOB}/activities/block-1`,
      actorUri: BOB,
      targetUri: alice.uri,
      createdAt: new Date().toISOString(),
    });
    assert.deepEqual(await run(payloadOf(readFixture("mastodon/create-note-public.json"))), { kind: "done" });
    assert.equal(await bed.ctx.store.objects.get(NOTE_ID), null);
    assert.deepEqual(await inboxOf(BOB), []);
    assert.equal(plugin.seen.length, 0);
  });

  it("keeps an activity of a type it has no handler for when it is addressed to a local actor", async () => {
    const react = {
      id: `${alice.uri}#reactions/1`,
      type: "EmojiReact",
      actor: alice.uri,
      content: "🍵",
      to: [BOB],
      object: "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0",
    };
    assert.deepEqual(await run(payloadOf(react)), { kind: "done" });
    assert.deepEqual(await inboxOf(BOB), [react.id]);
    assert.deepEqual(plugin.seen.map((event) => event.activity.type), ["EmojiReact"]);
  });

  it("finishes malformed jobs and unreadable activities without retrying them", async () => {
    assert.deepEqual(await run({ nonsense: true }), { kind: "done" });
    assert.deepEqual(await run(payloadOf({ type: "Create", id: "https://mastodon.example/x" })), { kind: "done" });
    assert.equal(plugin.seen.length, 0);
  });

  it("retries with growing delays while a referenced server is down, then gives up", async () => {
    const objectId = "https://down.example/notes/1";
    bed.network.route(objectId, () => {
      throw new TypeError("connection refused");
    });
    const create: Record<string, unknown> = { ...readFixture("mastodon/create-note-public.json"), object: objectId };

    const first = await run(payloadOf(create), 0);
    const second = await run(payloadOf(create), 1);
    assert.equal(first.kind, "retry");
    assert.equal(second.kind, "retry");
    const now = bed.ctx.now().getTime();
    const delayOf = (outcome: typeof first) => (outcome.kind === "retry" ? outcome.at.getTime() - now : 0);
    assert.ok(delayOf(first) > 0);
    assert.ok(delayOf(second) > delayOf(first));

    assert.equal((await run(payloadOf(create), 20)).kind, "fail");
    assert.equal(await bed.ctx.store.activities.get(create.id as string), null, "a failed activity is not recorded as processed");
  });

  it("processes an activity between local actors although the outbox already stored it", async () => {
    const carol = await bed.addLocal({ username: "carol" });
    const follow = {
      id: `${carol.uri}/activities/follow-1`,
      type: "Follow",
      actor: carol.uri,
      object: BOB,
      to: [BOB],
    };
    await bed.ctx.store.activities.add({
      uri: follow.id,
      type: "Follow",
      actorUri: carol.uri,
      objectUri: BOB,
      targetUri: null,
      local: true,
      visibility: "direct",
      recipients: [BOB],
      document: follow,
      published: "2024-11-12T09:30:00.000Z",
    });
    await run(payloadOf(follow, { signerUri: carol.uri, local: true }));
    assert.equal((await bed.ctx.store.follows.get(carol.uri, BOB))?.state, "accepted");
    assert.deepEqual(await inboxOf(BOB), [follow.id]);
  });

  /** A context whose store counts the transactions opened through it. */
  const countingTransactions = () => {
    const store = bed.ctx.store;
    let opened = 0;
    const counted: typeof store = {
      ...store,
      transaction: (fn) => {
        opened++;
        return store.transaction(fn);
      },
    };
    return { ctx: { ...bed.ctx, store: counted }, opened: () => opened };
  };
  const answersOf = async (actorUri: string) =>
    (await bed.ctx.store.activities.listByActor(actorUri, { visibilities: ALL_VISIBILITIES, types: ["Accept", "Reject"] }, { limit: 5 }))
      .items;

  it("stores a Follow, its follow and its Accept in one transaction, and tells plugins once", async () => {
    const counting = countingTransactions();
    const follow = readFixture("mastodon/follow.json");
    await handleInboxJob(counting.ctx, jobRecord({ queue: INBOX_QUEUE, payload: payloadOf(follow) }));

    assert.equal(counting.opened(), 1);
    assert.equal((await bed.ctx.store.follows.get(alice.uri, BOB))?.state, "accepted");
    assert.equal((await bed.ctx.store.activities.get(follow.id as string))?.type, "Follow");
    const answers = await answersOf(BOB);
    assert.deepEqual(answers.map((activity) => activity.type), ["Accept"]);
    assert.equal((answers[0]?.document.object as Record<string, unknown>).id, follow.id);
    assert.deepEqual(plugin.seen.map((event) => event.activity.id), [follow.id]);
  });

  it("stores a Follow that awaits approval with its follow in one transaction", async () => {
    const carol = await bed.addLocal({ username: "carol", manuallyApprovesFollowers: true });
    const counting = countingTransactions();
    const follow: Record<string, unknown> = { ...readFixture("mastodon/follow.json"), object: carol.uri };
    await handleInboxJob(counting.ctx, jobRecord({ queue: INBOX_QUEUE, payload: payloadOf(follow) }));

    assert.equal(counting.opened(), 1);
    assert.equal((await bed.ctx.store.follows.get(alice.uri, carol.uri))?.state, "pending");
    assert.equal((await bed.ctx.store.activities.get(follow.id as string))?.type, "Follow");
    assert.deepEqual(await answersOf(carol.uri), []);
  });

  it("stores a blocked actor's Follow with its Reject in one transaction", async () => {
    await bed.ctx.store.blocks.put({
      activityUri: `${BOB}/activities/block-1`,
      actorUri: BOB,
      targetUri: alice.uri,
      createdAt: new Date().toISOString(),
    });
    const counting = countingTransactions();
    const follow = readFixture("mastodon/follow.json");
    await handleInboxJob(counting.ctx, jobRecord({ queue: INBOX_QUEUE, payload: payloadOf(follow) }));

    assert.equal(counting.opened(), 1);
    assert.equal(await bed.ctx.store.follows.get(alice.uri, BOB), null);
    assert.equal((await bed.ctx.store.activities.get(follow.id as string))?.type, "Follow");
    assert.deepEqual((await answersOf(BOB)).map((activity) => activity.type), ["Reject"]);
  });

  it("reads the followed actor once for a Follow sent to its personal inbox, and still accepts it", async () => {
    const store = bed.ctx.store;
    const read: string[] = [];
    const actors = {
      ...store.actors,
      getLocal: (username: string) => {
        read.push(username);
        return store.actors.getLocal(username);
      },
    };
    const ctx = { ...bed.ctx, store: { ...store, actors } };
    const follow = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${alice.uri}#follows/7`,
      type: "Follow",
      actor: alice.uri,
      object: BOB,
      to: [BOB],
    };
    await handleInboxJob(ctx, jobRecord({ queue: INBOX_QUEUE, payload: payloadOf(follow, { recipientUsername: "bob" }) }));
    assert.equal((await store.follows.get(alice.uri, BOB))?.state, "accepted");
    assert.deepEqual(read, ["bob"]);
  });
});
