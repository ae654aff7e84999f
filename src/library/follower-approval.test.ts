import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createLibraryWorld, SITE, type LibraryWorld, type RemoteAccount } from "./library.test-support.ts";

const BLOG = `${SITE}/users/blog`;

describe("follower approval", () => {
  let world: LibraryWorld;
  let bob: RemoteAccount;
  let carol: RemoteAccount;
  before(async () => {
    world = await createLibraryWorld({ actor: { username: "blog", manuallyApprovesFollowers: true } });
    bob = world.addRemoteAccount("bob");
    carol = world.addRemoteAccount("carol", "social.example");
    for (const follower of [bob, carol]) {
      const response = await world.deliver({
        from: follower,
        to: "blog",
        activity: { id: `${follower.uri}#follows/1`, type: "Follow", actor: follower.uri, object: BLOG },
      });
      assert.equal(response.status, 202);
    }
  });
  after(() => world.close());

  it("lists the requests waiting, oldest first, without answering them", async () => {
    const pending = await world.outpost.followers.pending("blog");
    assert.deepEqual(
      pending.map((request) => [request.follower, request.handle]),
      [
        [bob.uri, "@bob@mastodon.example"],
        [carol.uri, "@carol@social.example"],
      ],
    );
    assert.deepEqual(bob.deliveries(), [], "nothing was sent before an answer");
    assert.deepEqual(await world.outpost.followers.pending("nobody"), []);
  });

  it("accepts a request by actor URI: the follower is told and starts receiving posts", async () => {
    const accepted = await world.outpost.followers.accept("blog", bob.uri);
    assert.ok(accepted.ok, accepted.ok ? "" : accepted.message);
    await world.outpost.runJobsUntilIdle();
    const accept = bob.deliveries().find((activity) => activity.type === "Accept") as Record<string, any> | undefined;
    assert.equal(accept?.object.id, `${bob.uri}#follows/1`);

    const published = await world.outpost.publishObject({ type: "Note", content: "<p>for followers</p>" });
    assert.ok(published.ok);
    assert.equal(published.deliveries, 1, "only the accepted follower receives it");
    const again = await world.outpost.followers.accept("blog", bob.uri);
    assert.equal(again.ok ? "" : again.reason, "alreadyAccepted");
  });

  it("rejects a request by handle", async () => {
    const rejected = await world.outpost.followers.reject("blog", "@carol@social.example");
    assert.ok(rejected.ok, rejected.ok ? "" : rejected.message);
    await world.outpost.runJobsUntilIdle();
    assert.ok(carol.deliveries().some((activity) => activity.type === "Reject"));
    assert.deepEqual(await world.outpost.followers.pending("blog"), []);
    const missing = await world.outpost.followers.reject("blog", carol.uri);
    assert.equal(missing.ok ? "" : missing.reason, "noRequest");
    const unknown = await world.outpost.followers.accept("nobody", carol.uri);
    assert.equal(unknown.ok ? "" : unknown.reason, "unknownActor");
  });
});
