import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createInboxTestBed, handlerContext, normalized, remoteActor, type InboxTestBed } from "../inbox.test-support.ts";
import { handleRemove } from "./remove.ts";

const alice = remoteActor({ username: "alice" });
const carol = remoteActor({ username: "carol" });
const PINNED = "https://mastodon.example/users/alice/statuses/113456789012345678";

function activity(type: "Add" | "Remove", target: string, actor = alice.uri): Record<string, unknown> {
  return { id: `${actor}#${type.toLowerCase()}s/1`, type, actor, object: PINNED, target };
}

describe("handleRemove", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.storeRemote(alice);
    await bed.ctx.store.collections.add({ collectionUri: alice.featured, itemUri: PINNED, addedAt: new Date().toISOString() });
  });

  afterEach(async () => {
    await bed.close();
  });

  const ctxOf = (signerUri: string) => handlerContext(bed.ctx, { signerUri });

  it("unpins an item from the actor's own featured collection", async () => {
    assert.equal((await handleRemove(ctxOf(alice.uri), normalized(activity("Remove", alice.featured)))).kind, "applied");
    assert.equal(await bed.ctx.store.collections.has(alice.featured, PINNED), false);
  });

  it("ignores a Remove from another actor's featured collection", async () => {
    await bed.storeRemote(carol);
    const outcome = await handleRemove(ctxOf(carol.uri), normalized(activity("Remove", alice.featured, carol.uri)));
    assert.equal(outcome.kind, "ignored");
    assert.equal(await bed.ctx.store.collections.has(alice.featured, PINNED), true);
  });
});
