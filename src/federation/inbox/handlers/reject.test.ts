import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createInboxTestBed, handlerContext, normalized, readFixture, remoteActor, type InboxTestBed } from "../inbox.test-support.ts";
import { handleReject } from "./reject.ts";

const alice = remoteActor({ username: "alice" });
const mallory = remoteActor({ username: "mallory", origin: "https://evil.example", key: "remote-mallory" });
const BOB = "https://outpost.example/users/bob";
const FOLLOW_ID = "https://outpost.example/users/bob/activities/01JCJ4A0000000000000000000";

describe("handleReject", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
    await bed.ctx.store.follows.put({
      followerUri: BOB,
      followeeUri: alice.uri,
      activityUri: FOLLOW_ID,
      state: "accepted",
      createdAt: new Date().toISOString(),
    });
  });

  afterEach(async () => {
    await bed.close();
  });

  const reject = () => ({ ...readFixture("mastodon/accept-follow.json"), id: `${alice.uri}#rejects/follows/1`, type: "Reject" });
  const run = (activity: Record<string, unknown>, signerUri = alice.uri) =>
    handleReject(handlerContext(bed.ctx, { signerUri }), normalized(activity));

  it("ends the follow the followee rejects", async () => {
    assert.equal((await run(reject())).kind, "applied");
    assert.equal(await bed.ctx.store.follows.get(BOB, alice.uri), null);
  });

  it("finds the rejected Follow by id alone", async () => {
    assert.equal((await run({ ...reject(), object: FOLLOW_ID })).kind, "applied");
    assert.equal(await bed.ctx.store.follows.get(BOB, alice.uri), null);
  });

  it("ignores a Reject from anyone but the followee", async () => {
    const forged = { ...reject(), id: "https://evil.example/rejects/1", actor: mallory.uri };
    assert.equal((await run(forged, mallory.uri)).kind, "ignored");
    assert.notEqual(await bed.ctx.store.follows.get(BOB, alice.uri), null);
  });
});
