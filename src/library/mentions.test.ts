import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createLibraryWorld, SITE, type LibraryWorld } from "./library.test-support.ts";

describe("extractMentions", () => {
  let world: LibraryWorld;
  before(async () => {
    world = await createLibraryWorld({ actors: [{ username: "blog" }, { username: "editor" }] });
  });
  after(() => world.close());

  it("resolves each handle once, case-insensitively, into Mention tags and cc", async () => {
    const alice = world.addRemoteAccount("alice");
    const webfinger = `https://mastodon.example/.well-known/webfinger?resource=${encodeURIComponent("acct:alice@mastodon.example")}`;
    const found = await world.outpost.extractMentions(
      "Thanks @alice@mastodon.example and @Alice@Mastodon.Example, and again <p>@alice@mastodon.example</p>",
    );
    assert.deepEqual(found.tags, [{ type: "Mention", href: alice.uri, name: "@alice@mastodon.example" }]);
    assert.deepEqual(found.cc, [alice.uri]);
    assert.deepEqual(found.unresolved, []);
    assert.equal(world.network.requestsTo(webfinger).length, 1, "one WebFinger lookup for every spelling");

    await world.outpost.extractMentions("once more @ALICE@mastodon.example");
    assert.equal(world.network.requestsTo(webfinger).length, 1, "later lookups come from the cache");
  });

  it("resolves handles of this site's own actors without the network", async () => {
    const before = world.network.requests.length;
    const found = await world.outpost.extractMentions("cc @editor@blog.test");
    assert.deepEqual(found.cc, [`${SITE}/users/editor`]);
    assert.equal(world.network.requests.length, before);
  });

  it("reports handles that resolve to nobody, and keeps the others", async () => {
    const dave = world.addRemoteAccount("dave", "social.example");
    const found = await world.outpost.extractMentions("hi @dave@social.example and @ghost@social.example and @x@nowhere.example");
    assert.deepEqual(found.cc, [dave.uri]);
    assert.deepEqual(
      found.unresolved.map((entry) => [entry.handle, entry.reason]),
      [
        ["@ghost@social.example", "accountNotFound"],
        ["@x@nowhere.example", "accountNotFound"],
      ],
    );
    assert.ok(found.unresolved.every((entry) => entry.message.length > 0));
  });

  it("finds nothing in text without handles", async () => {
    assert.deepEqual(await world.outpost.extractMentions("mail me at me@example.com, or not"), { tags: [], cc: [], unresolved: [] });
  });
});
