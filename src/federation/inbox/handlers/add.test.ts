import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createInboxTestBed, handlerContext, normalized, remoteActor, type InboxTestBed } from "../inbox.test-support.ts";
import { handleAdd } from "./add.ts";

const alice = remoteActor({ username: "alice" });
const carol = remoteActor({ username: "carol" });
const PINNED = "https://mastodon.example/users/alice/statuses/113456789012345678";

function activity(type: "Add" | "Remove", target: string, actor = alice.uri): Record<string, unknown> {
  return { id: `${actor}#${type.toLowerCase()}s/1`, type, actor, object: PINNED, target };
}

describe("handleAdd", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.storeRemote(alice);
  });

  afterEach(async () => {
    await bed.close();
  });

  const ctxOf = (signerUri: string) => handlerContext(bed.ctx, { signerUri });

  it("pins an item to the actor's own featured collection, once", async () => {
    assert.equal((await handleAdd(ctxOf(alice.uri), normalized(activity("Add", alice.featured)))).kind, "applied");
    assert.equal((await handleAdd(ctxOf(alice.uri), normalized(activity("Add", alice.featured)))).kind, "ignored");
    assert.equal(await bed.ctx.store.collections.count(alice.featured), 1);
  });

  it("ignores an Add to a collection that is not the actor's featured one", async () => {
    const other = "https://mastodon.example/users/alice/collections/tags";
    assert.equal((await handleAdd(ctxOf(alice.uri), normalized(activity("Add", other)))).kind, "ignored");
    assert.equal(await bed.ctx.store.collections.count(other), 0);
  });

  it("ignores an Add to another actor's featured collection", async () => {
    await bed.storeRemote(carol);
    const outcome = await handleAdd(ctxOf(carol.uri), normalized(activity("Add", alice.featured, carol.uri)));
    assert.equal(outcome.kind, "ignored");
    assert.equal(await bed.ctx.store.collections.has(alice.featured, PINNED), false);
  });
});
