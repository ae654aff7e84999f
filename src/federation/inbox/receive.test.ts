import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import {
  createInboxTestBed,
  deliveriesTo,
  readFixture,
  remoteActor,
  runQueuedJobs,
  signedDelivery,
  type InboxTestBed,
} from "./inbox.test-support.ts";
import { inboxJobPayloadSchema } from "./inbox-job.ts";
import { receiveActivity } from "./receive.ts";

const SHARED_INBOX = "https://outpost.example/inbox";
const BOB_INBOX = "https://outpost.example/users/bob/inbox";

const alice = remoteActor({ username: "alice" });
const mallory = remoteActor({ username: "mallory", origin: "https://evil.example", key: "remote-mallory" });

function follow(): Record<string, unknown> {
  return readFixture("mastodon/follow.json");
}

describe("receiveActivity", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
    bed.serve(alice);
    bed.serve(mallory);
  });

  afterEach(async () => {
    await bed.close();
  });

  it("queues a signed activity and answers 202", async () => {
    const outcome = await receiveActivity(
      bed.ctx,
      signedDelivery({ url: BOB_INBOX, activity: follow(), signer: alice, recipientUsername: "bob" }),
    );
    assert.deepEqual(outcome, { ok: true, status: 202, duplicate: false });
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 1);
    assert.deepEqual(bed.ctx.queuedNotifications, ["inbox"]);
  });

  it("has a received Follow processed by the worker and answered with an Accept", async () => {
    bed.acceptDeliveries(alice.sharedInbox);
    await receiveActivity(bed.ctx, signedDelivery({ url: BOB_INBOX, activity: follow(), signer: alice, recipientUsername: "bob" }));
    await runQueuedJobs(bed.ctx);
    assert.equal((await bed.ctx.store.follows.get(alice.uri, "https://outpost.example/users/bob"))?.state, "accepted");
    const answers = deliveriesTo(bed.network, alice.sharedInbox);
    assert.deepEqual(answers.map((answer) => answer.type), ["Accept"]);
  });

  it("answers a redelivery 202 as a duplicate without queueing it again", async () => {
    await receiveActivity(bed.ctx, signedDelivery({ url: SHARED_INBOX, activity: follow(), signer: alice }));
    const again = await receiveActivity(bed.ctx, signedDelivery({ url: SHARED_INBOX, activity: follow(), signer: alice }));
    assert.deepEqual(again, { ok: true, status: 202, duplicate: true });
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 1);
    assert.deepEqual(bed.ctx.queuedNotifications, ["inbox"]);
  });

  it("refuses a body over the size limit with 413", async () => {
    await bed.close();
    bed = await createInboxTestBed({ config: { maxInboxBytes: 64 } });
    const outcome = await receiveActivity(bed.ctx, signedDelivery({ url: SHARED_INBOX, activity: follow(), signer: alice }));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.status, 413);
    assert.equal(bed.network.requests.length, 0);
  });

  it("refuses other content types with 415", async () => {
    const outcome = await receiveActivity(
      bed.ctx,
      signedDelivery({ url: SHARED_INBOX, activity: follow(), signer: alice, contentType: "text/plain" }),
    );
    assert.equal(outcome.status, 415);
  });

  it("accepts ld+json with a profile parameter", async () => {
    const outcome = await receiveActivity(
      bed.ctx,
      signedDelivery({
        url: SHARED_INBOX,
        activity: follow(),
        signer: alice,
        contentType: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
      }),
    );
    assert.equal(outcome.status, 202);
  });

  it("refuses a body that is not JSON with 400", async () => {
    const request = signedDelivery({ url: SHARED_INBOX, activity: follow(), signer: alice });
    const outcome = await receiveActivity(bed.ctx, { ...request, body: new TextEncoder().encode("{not json") });
    assert.deepEqual(outcome, {
      ok: false,
      status: 400,
      reason: "invalidJson",
      message: "request body is not valid JSON",
    });
  });

  it("refuses a body that is not UTF-8 with 400, and reads the next body afresh", async () => {
    const request = signedDelivery({ url: SHARED_INBOX, activity: follow(), signer: alice });
    // A lone continuation byte inside a string: well-formed JSON in every way but its encoding.
    const broken = new Uint8Array([...new TextEncoder().encode('{"type":"'), 0x80, ...new TextEncoder().encode('"}')]);
    const outcome = await receiveActivity(bed.ctx, { ...request, body: broken });
    assert.deepEqual(outcome, { ok: false, status: 400, reason: "invalidJson", message: "request body is not valid JSON" });
    assert.deepEqual(await receiveActivity(bed.ctx, request), { ok: true, status: 202, duplicate: false });
  });

  it("queues the document as it came, with its signer and recipient", async () => {
    const activity = { ...follow(), summary: "caf\u00e9 \u2603 \ud83d\ude00" };
    // Indented, with an escape and a trailing newline, as another server might write it.
    const bodyText = `  ${JSON.stringify(activity, null, 2).replace("caf\u00e9", "caf\\u00e9")}\n`;
    const request = signedDelivery({ url: BOB_INBOX, activity, signer: alice, recipientUsername: "bob", bodyText });
    assert.deepEqual(await receiveActivity(bed.ctx, request), { ok: true, status: 202, duplicate: false });
    const [job] = await bed.ctx.store.jobs.claim({ queues: ["inbox"], limit: 1, workerId: "test", leaseMs: 60_000, now: new Date() });
    const payload = inboxJobPayloadSchema.parse(job?.payload);
    assert.deepEqual(payload.activity, activity);
    assert.equal(payload.signerUri, alice.uri);
    assert.equal(payload.recipientUsername, "bob");
    assert.ok(!Number.isNaN(Date.parse(payload.receivedAt)));
  });

  it("refuses an activity without an actor with 400 naming the field", async () => {
    const { actor: _actor, ...withoutActor } = follow();
    const outcome = await receiveActivity(bed.ctx, signedDelivery({ url: SHARED_INBOX, activity: withoutActor, signer: alice }));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.status, 400);
    assert.match(outcome.ok ? "" : outcome.message, /actor/);
  });

  it("refuses an activity whose id lives on another server with 400", async () => {
    const activity = { ...follow(), id: "https://elsewhere.example/follows/1" };
    const outcome = await receiveActivity(bed.ctx, signedDelivery({ url: SHARED_INBOX, activity, signer: alice }));
    assert.equal(outcome.status, 400);
  });

  it("refuses an unsigned request with 401 saying the signature is missing", async () => {
    const body = new TextEncoder().encode(JSON.stringify(follow()));
    const outcome = await receiveActivity(bed.ctx, {
      method: "POST",
      url: SHARED_INBOX,
      headers: new Headers({ "content-type": "application/activity+json" }),
      body,
    });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.status, 401);
    assert.match(outcome.ok ? "" : outcome.message, /no Signature/i);
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 0);
  });

  it("refuses a body changed after signing with 401", async () => {
    const request = signedDelivery({ url: SHARED_INBOX, activity: follow(), signer: alice });
    const tampered = new TextEncoder().encode(JSON.stringify({ ...follow(), object: "https://outpost.example/users/carol" }));
    const outcome = await receiveActivity(bed.ctx, { ...request, body: tampered });
    assert.equal(outcome.status, 401);
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 0);
  });

  it("refuses an activity signed by someone on another server with 401", async () => {
    const outcome = await receiveActivity(bed.ctx, signedDelivery({ url: SHARED_INBOX, activity: follow(), signer: mallory }));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.status, 401);
    assert.equal(
      outcome.ok ? "" : outcome.message,
      `signer ${mallory.uri} is not the activity's actor ${alice.uri}`,
    );
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 0);
  });

  it("answers 404 for a personal inbox nobody owns", async () => {
    const outcome = await receiveActivity(
      bed.ctx,
      signedDelivery({
        url: "https://outpost.example/users/nobody/inbox",
        activity: follow(),
        signer: alice,
        recipientUsername: "nobody",
      }),
    );
    assert.equal(outcome.status, 404);
    assert.equal(bed.network.requests.length, 0);
  });

  it("accepts an unknown actor's Delete of itself quietly, fetching nothing", async () => {
    const gone = remoteActor({ username: "gone" });
    const activity = { ...readFixture("mastodon/delete-actor.json"), id: `${gone.uri}#delete`, actor: gone.uri, object: gone.uri };
    const outcome = await receiveActivity(bed.ctx, signedDelivery({ url: SHARED_INBOX, activity, signer: gone }));
    assert.deepEqual(outcome, { ok: true, status: 202, duplicate: false });
    assert.equal(bed.network.requests.length, 0);
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 0);
  });

  it("drops, with a normal 202, what a blocked actor posts to its blocker's inbox, but queues its Follow to be rejected", async () => {
    const bob = await bed.ctx.store.actors.getLocal("bob");
    assert.ok(bob);
    await bed.ctx.store.blocks.put({
      activityUri: "https://outpost.example/users/bob/activities/block-1",
      actorUri: bob.uri,
      targetUri: alice.uri,
      createdAt: new Date().toISOString(),
    });
    const like = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${alice.uri}/likes/1`,
      type: "Like",
      actor: alice.uri,
      object: "https://outpost.example/users/bob/objects/1",
    };
    const dropped = await receiveActivity(
      bed.ctx,
      signedDelivery({ url: BOB_INBOX, activity: like, signer: alice, recipientUsername: "bob" }),
    );
    assert.deepEqual(dropped, { ok: true, status: 202, duplicate: false });
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 0);

    const queued = await receiveActivity(
      bed.ctx,
      signedDelivery({ url: BOB_INBOX, activity: follow(), signer: alice, recipientUsername: "bob" }),
    );
    assert.deepEqual(queued, { ok: true, status: 202, duplicate: false });
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 1);
  });

});
