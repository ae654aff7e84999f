import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InboxPluginEvent } from "../federation/inbox/plugins.ts";
import { createLibraryWorld, SITE } from "./library.test-support.ts";

const BLOG = `${SITE}/users/blog`;

describe("outpost.on", () => {
  it("runs a handler for the types and actors it names, and retries it when it fails", async () => {
    const world = await createLibraryWorld({ actors: [{ username: "blog" }, { username: "other" }] });
    try {
      const bob = world.addRemoteAccount("bob");
      const seen: InboxPluginEvent[] = [];
      let failures = 1;
      world.outpost.on("Follow", async (event) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error("the chat service is down");
        }
        seen.push(event);
      }, { localActors: ["blog"] });
      const likes: string[] = [];
      world.outpost.on(["Like"], (event) => {
        likes.push(event.activity.id);
      });

      await world.deliver({ from: bob, to: "other", activity: { id: `${bob.uri}#follows/other`, type: "Follow", actor: bob.uri, object: `${SITE}/users/other` } });
      await world.deliver({ from: bob, to: "blog", activity: { id: `${bob.uri}#follows/blog`, type: "Follow", actor: bob.uri, object: BLOG } });
      assert.equal(seen.length, 0, "the first run failed, and the follow of the other actor is not for this handler");
      assert.equal((await world.outpost.store.follows.get(bob.uri, BLOG))?.state, "accepted", "the failure did not stop Outpost's own processing");

      // The retry waits for its backoff.
      world.advance(10 * 60_000);
      await world.outpost.runJobsUntilIdle();
      assert.deepEqual(seen.map((event) => [event.activity.id, event.localRecipients, event.signerUri]), [[`${bob.uri}#follows/blog`, [BLOG], bob.uri]]);
      assert.equal(likes.length, 0);
    } finally {
      await world.close();
    }
  });

  it("refuses two handlers of the same name", async () => {
    const world = await createLibraryWorld();
    try {
      world.outpost.on("Create", () => {}, { name: "comments" });
      assert.throws(() => world.outpost.on("Update", () => {}, { name: "comments" }), /already registered/);
    } finally {
      await world.close();
    }
  });
});
