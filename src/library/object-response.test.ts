import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signedRequest } from "../http/http.test-support.ts";
import { createLibraryWorld, SITE } from "./library.test-support.ts";
import { asksForActivityJson } from "./object-response.ts";

describe("asksForActivityJson", () => {
  it("is true only for requests naming an ActivityStreams type they do not rate below HTML", () => {
    const cases: [string | null, boolean][] = [
      ["application/activity+json", true],
      ['application/ld+json; profile="https://www.w3.org/ns/activitystreams"', true],
      ["application/activity+json, application/ld+json", true],
      ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false],
      ["text/html, application/activity+json;q=0.5", false],
      ["application/ld+json", false],
      ["application/json", false],
      ["*/*", false],
      [null, false],
    ];
    for (const [accept, expected] of cases) assert.equal(asksForActivityJson({ accept }), expected, String(accept));
  });
});

describe("objectResponse", () => {
  it("serves a followers-only object only to signed followers, and says nothing to others", async () => {
    const world = await createLibraryWorld({ actor: { username: "blog" } });
    try {
      const id = `${SITE}/posts/members-only`;
      const published = await world.outpost.publishObject({ id, type: "Article", content: "<p>x</p>", to: [`${SITE}/users/blog/followers`] });
      assert.ok(published.ok);
      const response = await world.outpost.fetch(new Request(id, { headers: { accept: "application/activity+json" } }));
      assert.equal(response?.status, 404);
      const head = await world.outpost.fetch(new Request(`${SITE}/posts/none`, { method: "HEAD", headers: { accept: "application/activity+json" } }));
      assert.equal(head, undefined);
      const post = await world.outpost.fetch(new Request(id, { method: "POST", headers: { accept: "application/activity+json" } }));
      assert.equal(post, undefined, "only reads are answered at the site's URLs");

      const bob = world.addRemoteAccount("bob");
      await world.deliver({ from: bob, to: "blog", activity: { id: `${bob.uri}#follows/1`, type: "Follow", actor: bob.uri, object: `${SITE}/users/blog` } });
      const asFollower = await world.outpost.fetch(signedRequest({ url: id, signer: bob }));
      assert.equal(asFollower?.status, 200);
      assert.equal(asFollower?.headers.get("cache-control"), "private, no-store");
    } finally {
      await world.close();
    }
  });
});
