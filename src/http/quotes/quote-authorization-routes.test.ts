import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { QuoteAuthorizationRecord } from "../../store/records.ts";
import { createHttpTestServer, ORIGIN, seedLocalActor, type HttpTestServer } from "../http.test-support.ts";
import { mountQuoteRoutes } from "./quote-authorization-routes.ts";

const PATH = "/users/bob/quote-authorizations/01JCJ5A0000000000000000000";

describe("quote authorization routes", () => {
  let server: HttpTestServer;
  beforeEach(async () => {
    server = await createHttpTestServer();
    mountQuoteRoutes(server.app, { ctx: server.ctx });
    await seedLocalActor(server.ctx, { username: "bob" });
  });
  afterEach(async () => {
    await server.close();
  });

  const store = (overrides: Partial<QuoteAuthorizationRecord>) =>
    server.ctx.store.interactions.putQuoteAuthorization({
      uri: `${ORIGIN}${PATH}`,
      requestUri: "https://mastodon.example/users/alice/quote_requests/1",
      state: "accepted",
      localActorUri: `${ORIGIN}/users/bob`,
      actorUri: "https://mastodon.example/users/alice",
      quoteUri: "https://mastodon.example/users/alice/statuses/1",
      targetUri: `${ORIGIN}/users/bob/objects/1`,
      request: { type: "QuoteRequest", instrument: { content: "<p>secret draft</p>" } },
      createdAt: "2024-11-12T10:00:00.000Z",
      decidedAt: "2024-11-12T10:00:00.000Z",
      revokedAt: null,
      ...overrides,
    });

  it("serves an accepted authorization as an ActivityStreams document that embeds neither object", async () => {
    await store({});
    const response = await server.request(PATH, { headers: { accept: "application/activity+json" } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/activity\+json/);
    const document = (await response.json()) as Record<string, unknown>;
    assert.equal(document.id, `${ORIGIN}${PATH}`);
    assert.equal(document.type, "QuoteAuthorization");
    assert.equal(document.attributedTo, `${ORIGIN}/users/bob`);
    assert.equal(document.interactingObject, "https://mastodon.example/users/alice/statuses/1");
    assert.equal(document.interactionTarget, `${ORIGIN}/users/bob/objects/1`);
    assert.ok(!JSON.stringify(document).includes("secret draft"));
  });

  it("answers 410 with a Tombstone once revoked", async () => {
    await store({ state: "revoked", revokedAt: "2024-11-13T10:00:00.000Z" });
    const response = await server.request(PATH);
    assert.equal(response.status, 410);
    const document = (await response.json()) as Record<string, unknown>;
    assert.deepEqual([document.type, document.formerType, document.deleted], ["Tombstone", "QuoteAuthorization", "2024-11-13T10:00:00.000Z"]);
  });

  it("answers 404 for a request never approved and for unknown or malformed ids", async () => {
    await store({ state: "pending" });
    assert.equal((await server.request(PATH)).status, 404);
    assert.equal((await server.request("/users/bob/quote-authorizations/unknown")).status, 404);
    assert.equal((await server.request("/users/bob/quote-authorizations/..%2F..%2Fetc")).status, 404);
  });
});
