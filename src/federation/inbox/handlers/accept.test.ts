import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createInboxTestBed, handlerContext, normalized, readFixture, remoteActor, type InboxTestBed } from "../inbox.test-support.ts";
import { handleAccept } from "./accept.ts";

const alice = remoteActor({ username: "alice" });
const mallory = remoteActor({ username: "mallory", origin: "https://evil.example", key: "remote-mallory" });
const BOB = "https://outpost.example/users/bob";
const FOLLOW_ID = "https://outpost.example/users/bob/activities/01JCJ4A0000000000000000000";

describe("handleAccept", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
    await bed.ctx.store.follows.put({
      followerUri: BOB,
      followeeUri: alice.uri,
      activityUri: FOLLOW_ID,
      state: "pending",
      createdAt: new Date().toISOString(),
    });
  });

  afterEach(async () => {
    await bed.close();
  });

  const accept = () => readFixture("mastodon/accept-follow.json");
  const run = (activity: Record<string, unknown>, signerUri = alice.uri) =>
    handleAccept(handlerContext(bed.ctx, { signerUri }), normalized(activity));
  const state = async () => (await bed.ctx.store.follows.get(BOB, alice.uri))?.state;

  it("marks the follow accepted when the followee accepts the embedded Follow", async () => {
    assert.equal((await run(accept())).kind, "applied");
    assert.equal(await state(), "accepted");
  });

  it("finds the Follow by id alone", async () => {
    assert.equal((await run({ ...accept(), object: FOLLOW_ID })).kind, "applied");
    assert.equal(await state(), "accepted");
  });

  it("matches an embedded Follow by follower and followee when its id differs", async () => {
    const activity = accept();
    activity.object = { ...(activity.object as Record<string, unknown>), id: "https://mastodon.example/follows/rewritten" };
    assert.equal((await run(activity)).kind, "applied");
    assert.equal(await state(), "accepted");
  });

  it("ignores an Accept from anyone but the followee", async () => {
    const forged = { ...accept(), id: "https://evil.example/accepts/1", actor: mallory.uri };
    assert.equal((await run(forged, mallory.uri)).kind, "ignored");
    assert.equal(await state(), "pending");
  });

  it("ignores an Accept of a follow nobody here asked for", async () => {
    const activity = { ...accept(), object: "https://outpost.example/users/bob/activities/unknown" };
    assert.equal((await run(activity)).kind, "ignored");
    assert.equal(await state(), "pending");
  });
});
