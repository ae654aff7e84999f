import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import {
  createInboxTestBed,
  handlerContext,
  normalized,
  noteRecord,
  readFixture,
  remoteActor,
  type InboxTestBed,
} from "../inbox.test-support.ts";
import { handleAnnounce } from "./announce.ts";

const alice = remoteActor({ username: "alice" });
const BOB = "https://outpost.example/users/bob";
const NOTE = "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0";
const REMOTE_NOTE = "https://other.example/notes/42";

describe("handleAnnounce", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
    await bed.ctx.store.objects.put(noteRecord({ uri: NOTE, attributedTo: BOB, local: true }));
  });

  afterEach(async () => {
    await bed.close();
  });

  const announce = () => readFixture("mastodon/announce.json");
  const run = (activity: Record<string, unknown>) =>
    handleAnnounce(handlerContext(bed.ctx, { signerUri: alice.uri }), normalized(activity));

  it("counts a boost of a local object once", async () => {
    assert.equal((await run(announce())).kind, "applied");
    assert.equal((await run(announce())).kind, "ignored");
    assert.equal(await bed.ctx.store.reactions.count(NOTE, "Announce"), 1);
  });

  it("keeps a boost of a remote object by someone a local actor follows", async () => {
    await bed.ctx.store.follows.put({
      followerUri: BOB,
      followeeUri: alice.uri,
      activityUri: `${BOB}/activities/follow-1`,
      state: "accepted",
      createdAt: new Date().toISOString(),
    });
    assert.equal((await run({ ...announce(), object: REMOTE_NOTE })).kind, "applied");
    assert.equal(await bed.ctx.store.reactions.count(REMOTE_NOTE, "Announce"), 1);
  });

  it("ignores a boost of a remote object by someone nobody here follows", async () => {
    assert.equal((await run({ ...announce(), object: REMOTE_NOTE })).kind, "ignored");
    assert.equal(await bed.ctx.store.reactions.count(REMOTE_NOTE, "Announce"), 0);
  });

  it("ignores a boost of a local object that does not exist", async () => {
    const outcome = await run({ ...announce(), object: "https://outpost.example/users/bob/objects/missing" });
    assert.equal(outcome.kind, "ignored");
  });
});
