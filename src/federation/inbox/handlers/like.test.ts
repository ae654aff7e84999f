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
import { handleLike } from "./like.ts";

const alice = remoteActor({ username: "alice" });
const BOB = "https://outpost.example/users/bob";
const NOTE = "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0";

describe("handleLike", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
    await bed.ctx.store.objects.put(noteRecord({ uri: NOTE, attributedTo: BOB, local: true }));
  });

  afterEach(async () => {
    await bed.close();
  });

  const like = () => readFixture("mastodon/like.json");
  const run = (activity: Record<string, unknown>) =>
    handleLike(handlerContext(bed.ctx, { signerUri: alice.uri }), normalized(activity));

  it("counts a Like of a local object", async () => {
    assert.equal((await run(like())).kind, "applied");
    const likes = await bed.ctx.store.reactions.list(NOTE, "Like", { limit: 10 });
    assert.deepEqual(likes.items.map((reaction) => reaction.actorUri), [alice.uri]);
  });

  it("counts the same actor's Like once", async () => {
    await run(like());
    const again = await run({ ...like(), id: `${alice.uri}#likes/445567` });
    assert.equal(again.kind, "ignored");
    assert.equal(await bed.ctx.store.reactions.count(NOTE, "Like"), 1);
  });

  it("ignores Likes of remote objects and of objects that do not exist", async () => {
    const remote = await run({ ...like(), object: "https://mastodon.example/users/alice/statuses/1" });
    const missing = await run({ ...like(), object: "https://outpost.example/users/bob/objects/missing" });
    assert.equal(remote.kind, "ignored");
    assert.equal(missing.kind, "ignored");
    assert.equal(await bed.ctx.store.reactions.countByActor(alice.uri, "Like"), 0);
  });

  it("ignores a Like from someone the author blocks", async () => {
    await bed.ctx.store.blocks.put({
      activityUri: `${BOB}/activities/block-1`,
      actorUri: BOB,
      targetUri: alice.uri,
      createdAt: new Date().toISOString(),
    });
    assert.equal((await run(like())).kind, "ignored");
    assert.equal(await bed.ctx.store.reactions.count(NOTE, "Like"), 0);
  });
});
