import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { ActorRecord } from "../../store/records.ts";
import { createHttpTestServer, seedLocalActor, seedPost, type HttpTestServer } from "../http.test-support.ts";
import { mountInteractionRoutes } from "./interaction-routes.ts";

describe("interaction routes", () => {
  let server: HttpTestServer;
  let bob: ActorRecord;
  let target: string;
  beforeEach(async () => {
    server = await createHttpTestServer({ prefix: "/ap" });
    mountInteractionRoutes(server.app, { ctx: server.ctx });
    bob = await seedLocalActor(server.ctx, { username: "bob" });
    target = (await seedPost(server.ctx, { author: bob, content: "Hello" })).object.uri;
    await server.ctx.store.interactions.put({
      uri: "https://mastodon.example/users/alice/statuses/1",
      kind: "reply",
      targetUri: target,
      localActorUri: bob.uri,
      actorUri: "https://mastodon.example/users/alice",
      content: '<p>Nice!<script>alert(1)</script></p>',
      published: "2024-11-12T10:00:00.000Z",
      updated: null,
      visibility: "public",
      document: { id: "https://mastodon.example/users/alice/statuses/1" },
      createdAt: "2024-11-12T10:00:00.000Z",
      deletedAt: null,
    });
  });
  afterEach(async () => {
    await server.close();
  });

  const get = (query: string, accept = "text/html") => server.request(`/ap/interactions?${query}`, { headers: { accept } });

  it("serves the sanitized block with a script-free policy, readable from other origins", async () => {
    const response = await get(`target=${encodeURIComponent(target)}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(response.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    const html = await response.text();
    assert.ok(html.startsWith('<section class="outpost-interactions"'));
    assert.ok(html.includes("<p>Nice!</p>"));
    assert.ok(!html.includes("<script"));
  });

  it("serves the view model as JSON when asked", async () => {
    const response = await get(`target=${encodeURIComponent(target)}`, "application/json");
    const view = (await response.json()) as { counts: { replies: number }; replies: { contentHtml: string }[] };
    assert.equal(view.counts.replies, 1);
    assert.equal(view.replies[0]?.contentHtml, "<p>Nice!</p>");
  });

  it("answers 404 for anything but a local object's id", async () => {
    assert.equal((await get("")).status, 404);
    assert.equal((await get(`target=${encodeURIComponent("https://mastodon.example/users/alice/statuses/1")}`)).status, 404);
    assert.equal((await get(`target=${encodeURIComponent(bob.uri)}`)).status, 404);
  });
});
