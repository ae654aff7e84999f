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
import { handleMove } from "./move.ts";

const oldAlice = remoteActor({ username: "alice", origin: "https://old.example" });
const BOB = "https://outpost.example/users/bob";

function newAlice(alsoKnownAs: string[]) {
  return remoteActor({ username: "alice", overrides: { alsoKnownAs } });
}

describe("handleMove", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
    await bed.storeRemote(oldAlice);
    await bed.ctx.store.follows.put({
      followerUri: BOB,
      followeeUri: oldAlice.uri,
      activityUri: `${BOB}/activities/follow-old`,
      state: "accepted",
      createdAt: new Date().toISOString(),
    });
  });

  afterEach(async () => {
    await bed.close();
  });

  const run = () => handleMove(handlerContext(bed.ctx, { signerUri: oldAlice.uri }), normalized(readFixture("mastodon/move.json")));

  it("moves local followers to the new account when it confirms the move", async () => {
    const target = newAlice([oldAlice.uri]);
    bed.serve(target);
    bed.acceptDeliveries(target.sharedInbox);

    assert.equal((await run()).kind, "applied");
    assert.equal(await bed.ctx.store.follows.get(BOB, oldAlice.uri), null);
    assert.equal((await bed.ctx.store.follows.get(BOB, target.uri))?.state, "pending");
    assert.equal((await bed.ctx.store.actors.get(oldAlice.uri))?.movedTo, target.uri);

    await runQueuedJobs(bed.ctx);
    const follows = deliveriesTo(bed.network, target.sharedInbox);
    assert.deepEqual(
      follows.map((activity) => [activity.type, activity.actor, activity.object]),
      [["Follow", BOB, target.uri]],
    );
  });

  it("ignores a Move the new account does not confirm in alsoKnownAs", async () => {
    bed.serve(newAlice([]));
    assert.equal((await run()).kind, "ignored");
    assert.equal((await bed.ctx.store.follows.get(BOB, oldAlice.uri))?.state, "accepted");
    assert.equal((await bed.ctx.store.actors.get(oldAlice.uri))?.movedTo, null);
  });

  it("checks alsoKnownAs on a fresh copy of the new account, not a stored one", async () => {
    await bed.storeRemote(newAlice([oldAlice.uri]));
    bed.serve(newAlice([]));
    assert.equal((await run()).kind, "ignored");
    assert.equal((await bed.ctx.store.follows.get(BOB, oldAlice.uri))?.state, "accepted");
  });

  it("ignores a Move of someone else", async () => {
    bed.serve(newAlice([oldAlice.uri]));
    const forged = { ...readFixture("mastodon/move.json"), object: "https://old.example/users/carol" };
    const outcome = await handleMove(handlerContext(bed.ctx, { signerUri: oldAlice.uri }), normalized(forged));
    assert.equal(outcome.kind, "ignored");
  });
});
