import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createInboxTestBed, handlerContext, normalized, readFixture, remoteActor, type InboxTestBed } from "../inbox.test-support.ts";
import { handleUndo } from "./undo.ts";

const alice = remoteActor({ username: "alice" });
const mallory = remoteActor({ username: "mallory", origin: "https://evil.example", key: "remote-mallory" });
const BOB = "https://outpost.example/users/bob";
const NOTE = "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0";
const LIKE_ID = "https://mastodon.example/users/alice#likes/445566";

describe("handleUndo", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
  });

  afterEach(async () => {
    await bed.close();
  });

  const run = (activity: Record<string, unknown>, signerUri = alice.uri) =>
    handleUndo(handlerContext(bed.ctx, { signerUri }), normalized(activity));
  const undoFollow = () => readFixture("mastodon/undo-follow.json");
  const storeFollow = () =>
    bed.ctx.store.follows.put({
      followerUri: alice.uri,
      followeeUri: BOB,
      activityUri: "https://mastodon.example/3f0a7c1e-5b2d-4c8e-9a61-2d4e8b7f6a10",
      state: "accepted",
      createdAt: new Date().toISOString(),
    });
  const storeLike = () =>
    bed.ctx.store.reactions.add({
      activityUri: LIKE_ID,
      type: "Like",
      actorUri: alice.uri,
      objectUri: NOTE,
      createdAt: new Date().toISOString(),
    });
  const likeCount = () => bed.ctx.store.reactions.count(NOTE, "Like");

  it("ends a follow its follower undoes", async () => {
    await storeFollow();
    assert.equal((await run(undoFollow())).kind, "applied");
    assert.equal(await bed.ctx.store.follows.get(alice.uri, BOB), null);
  });

  it("ignores someone else's Undo of a follow", async () => {
    await storeFollow();
    const forged = { ...undoFollow(), id: "https://evil.example/undo/1", actor: mallory.uri };
    assert.equal((await run(forged, mallory.uri)).kind, "ignored");
    assert.notEqual(await bed.ctx.store.follows.get(alice.uri, BOB), null);
  });

  it("ignores an Undo naming someone else's Follow by id", async () => {
    await storeFollow();
    const forged = {
      id: "https://evil.example/undo/2",
      type: "Undo",
      actor: mallory.uri,
      object: "https://mastodon.example/3f0a7c1e-5b2d-4c8e-9a61-2d4e8b7f6a10",
    };
    assert.equal((await run(forged, mallory.uri)).kind, "ignored");
    assert.notEqual(await bed.ctx.store.follows.get(alice.uri, BOB), null);
  });

  it("removes a Like undone by its id", async () => {
    await storeLike();
    const undo = { id: `${alice.uri}#likes/445566/undo`, type: "Undo", actor: alice.uri, object: LIKE_ID };
    assert.equal((await run(undo)).kind, "applied");
    assert.equal(await likeCount(), 0);
  });

  it("removes a Like undone with an embedded copy under a fresh id", async () => {
    await storeLike();
    const undo = {
      id: `${alice.uri}#likes/445566/undo`,
      type: "Undo",
      actor: alice.uri,
      object: { id: `${alice.uri}#likes/other`, type: "Like", actor: alice.uri, object: NOTE },
    };
    assert.equal((await run(undo)).kind, "applied");
    assert.equal(await likeCount(), 0);
  });

  it("keeps a Like that someone else tries to undo", async () => {
    await storeLike();
    const forged = { id: "https://evil.example/undo/3", type: "Undo", actor: mallory.uri, object: LIKE_ID };
    assert.equal((await run(forged, mallory.uri)).kind, "ignored");
    assert.equal(await likeCount(), 1);
  });

  it("removes an Announce undone by its embedded copy", async () => {
    const announce = readFixture("mastodon/announce.json");
    await bed.ctx.store.reactions.add({
      activityUri: announce.id as string,
      type: "Announce",
      actorUri: alice.uri,
      objectUri: NOTE,
      createdAt: new Date().toISOString(),
    });
    const undo = { id: `${announce.id as string}/undo`, type: "Undo", actor: alice.uri, object: announce };
    assert.equal((await run(undo)).kind, "applied");
    assert.equal(await bed.ctx.store.reactions.count(NOTE, "Announce"), 0);
  });

  it("lifts a remote actor's Block", async () => {
    await bed.ctx.store.blocks.put({
      activityUri: `${alice.uri}#blocks/1`,
      actorUri: alice.uri,
      targetUri: BOB,
      createdAt: new Date().toISOString(),
    });
    const undo = {
      id: `${alice.uri}#blocks/1/undo`,
      type: "Undo",
      actor: alice.uri,
      object: { id: `${alice.uri}#blocks/1`, type: "Block", actor: alice.uri, object: BOB },
    };
    assert.equal((await run(undo)).kind, "applied");
    assert.equal(await bed.ctx.store.blocks.get(alice.uri, BOB), null);
  });

  it("ignores an Undo of something never seen", async () => {
    const undo = { id: `${alice.uri}#undo/9`, type: "Undo", actor: alice.uri, object: `${alice.uri}#likes/never` };
    assert.equal((await run(undo)).kind, "ignored");
  });
});
