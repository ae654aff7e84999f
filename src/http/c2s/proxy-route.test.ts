import assert from "node:assert/strict";
import { test } from "node:test";
import { bearer, createActorViaApi, createClientApiTestServer, userWithToken } from "./client-api.test-support.ts";

const NOTE = "https://mastodon.example/users/carol/statuses/1";

test("the proxy fetches a remote object, signed, for a client with a token", async () => {
  const server = await createClientApiTestServer();
  try {
    const token = await userWithToken(server, { username: "alice" });
    await createActorViaApi(server, token, { preferred_username: "alice" });
    server.network.serveJson(NOTE, {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: NOTE,
      type: "Note",
      attributedTo: "https://mastodon.example/users/carol",
      content: "<p>from afar</p>",
    });
    const ask = (id: string, auth: Record<string, string>) =>
      server.request("/api/proxy", {
        method: "POST",
        headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ id }).toString(),
      });
    const response = await ask(NOTE, bearer(token));
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { content: string }).content, "<p>from afar</p>");
    const fetched = server.network.requestsTo(NOTE);
    assert.equal(fetched.length, 1);
    assert.ok(fetched[0]!.headers.has("signature"), "the fetch is signed");

    assert.equal((await ask(NOTE, {})).status, 401);
    assert.equal((await ask("https://mastodon.example/users/carol/statuses/404", bearer(token))).status, 404);
    assert.equal((await ask("https://outpost.test/users/alice", bearer(token))).status, 400);
    assert.equal((await ask("javascript:alert(1)", bearer(token))).status, 400);
  } finally {
    await server.close();
  }
});
