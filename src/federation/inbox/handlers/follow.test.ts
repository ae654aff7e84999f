import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import {
  createInboxTestBed,
  deliveriesTo,
  handlerContext,
  normalized,
  readFixture,
  remoteActor,
  runQueuedJobs,
  type InboxTestBed,
} from "../inbox.test-support.ts";
import { handleFollow } from "./follow.ts";

const alice = remoteActor({ username: "alice" });
const BOB = "https://outpost.example/users/bob";

describe("handleFollow", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    bed.serve(alice);
    bed.acceptDeliveries(alice.sharedInbox);
  });

  afterEach(async () => {
    await bed.close();
  });

  const follow = () => readFixture("mastodon/follow.json");
  const run = (activity: Record<string, unknown>) =>
    handleFollow(handlerContext(bed.ctx, { signerUri: alice.uri }), normalized(activity));

  it("stores the follower and sends an Accept embedding the Follow", async () => {
    await bed.addLocal({ username: "bob" });
    const outcome = await run(follow());
    assert.equal(outcome.kind, "applied");

    const stored = await bed.ctx.store.follows.get(alice.uri, BOB);
    assert.equal(stored?.state, "accepted");
    assert.equal(stored?.activityUri, follow().id);
    assert.ok(await bed.ctx.store.actors.get(alice.uri), "the follower's actor is stored");

    await runQueuedJobs(bed.ctx);
    const [accept, ...rest] = deliveriesTo(bed.network, alice.sharedInbox);
    assert.equal(rest.length, 0);
    assert.equal(accept?.type, "Accept");
    assert.equal(accept?.actor, BOB);
    assert.deepEqual((accept?.object as Record<string, unknown>).id, follow().id);
  });

  it("leaves the follow pending, unanswered, when the actor approves followers by hand", async () => {
    await bed.addLocal({ username: "bob", manuallyApprovesFollowers: true });
    const outcome = await run(follow());
    assert.equal(outcome.kind, "applied");
    assert.equal((await bed.ctx.store.follows.get(alice.uri, BOB))?.state, "pending");
    await runQueuedJobs(bed.ctx);
    assert.deepEqual(deliveriesTo(bed.network, alice.sharedInbox), []);
  });

  it("accepts a repeated Follow again, remembering its new id", async () => {
    await bed.addLocal({ username: "bob" });
    await run(follow());
    const again = { ...follow(), id: "https://mastodon.example/0b4d2e6f-1111-4c8e-9a61-2d4e8b7f6a10" };
    const outcome = await run(again);
    assert.equal(outcome.kind, "applied");
    assert.equal((await bed.ctx.store.follows.get(alice.uri, BOB))?.activityUri, again.id);

    await runQueuedJobs(bed.ctx);
    const accepts = deliveriesTo(bed.network, alice.sharedInbox);
    assert.deepEqual(
      accepts.map((accept) => (accept.object as Record<string, unknown>).id),
      [follow().id, again.id],
    );
  });

  it("rejects a follower the local actor blocks and stores no follow", async () => {
    const bob = await bed.addLocal({ username: "bob" });
    await bed.ctx.store.blocks.put({
      activityUri: `${BOB}/activities/block-1`,
      actorUri: bob.uri,
      targetUri: alice.uri,
      createdAt: new Date().toISOString(),
    });
    const outcome = await run(follow());
    assert.equal(outcome.kind, "applied");
    assert.equal(await bed.ctx.store.follows.get(alice.uri, BOB), null);
    const rejects = await bed.ctx.store.activities.listByActor(
      BOB,
      { visibilities: ["public", "unlisted", "followers", "direct"], types: ["Reject", "Accept"] },
      { limit: 10 },
    );
    assert.deepEqual(rejects.items.map((activity) => activity.type), ["Reject"]);
  });

  it("ignores a Follow of an actor that is not local", async () => {
    const outcome = await run({ ...follow(), object: "https://outpost.example/users/nobody" });
    assert.equal(outcome.kind, "ignored");
    assert.equal(await bed.ctx.store.follows.get(alice.uri, "https://outpost.example/users/nobody"), null);
  });

  it("retries later when the follower's server cannot be reached", async () => {
    await bed.addLocal({ username: "bob" });
    const unreachable = remoteActor({ username: "dana", origin: "https://down.example" });
    bed.network.route(unreachable.uri, () => {
      throw new TypeError("connection refused");
    });
    const outcome = await handleFollow(
      handlerContext(bed.ctx, { signerUri: unreachable.uri }),
      normalized({ ...follow(), id: "https://down.example/follows/1", actor: unreachable.uri }),
    );
    assert.equal(outcome.kind, "retry");
    assert.equal(await bed.ctx.store.follows.get(unreachable.uri, BOB), null);
  });
});
