import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createInboxTestBed, handlerContext, normalized, remoteActor, type InboxTestBed } from "../inbox.test-support.ts";
import { handleBlock } from "./block.ts";

const alice = remoteActor({ username: "alice" });
const BOB = "https://outpost.example/users/bob";

describe("handleBlock", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
  });

  afterEach(async () => {
    await bed.close();
  });

  const block = (object = BOB) => ({ id: `${alice.uri}#blocks/1`, type: "Block", actor: alice.uri, object });
  const run = (activity: Record<string, unknown>) =>
    handleBlock(handlerContext(bed.ctx, { signerUri: alice.uri }), normalized(activity));
  const follow = (followerUri: string, followeeUri: string) =>
    bed.ctx.store.follows.put({
      followerUri,
      followeeUri,
      activityUri: `${followerUri}/follows/${followeeUri.length}`,
      state: "accepted",
      createdAt: new Date().toISOString(),
    });

  it("records the block and ends the follows both ways", async () => {
    await follow(alice.uri, BOB);
    await follow(BOB, alice.uri);
    assert.equal((await run(block())).kind, "applied");
    assert.notEqual(await bed.ctx.store.blocks.get(alice.uri, BOB), null);
    assert.equal(await bed.ctx.store.follows.get(alice.uri, BOB), null);
    assert.equal(await bed.ctx.store.follows.get(BOB, alice.uri), null);
  });

  it("ignores a Block of an actor that is not local", async () => {
    const outcome = await run(block("https://other.example/users/carol"));
    assert.equal(outcome.kind, "ignored");
    assert.equal(await bed.ctx.store.blocks.get(alice.uri, "https://other.example/users/carol"), null);
  });
});
