import assert from "node:assert/strict";
import { test } from "node:test";
import { createPersonalAccessToken } from "../../federation/accounts/tokens.ts";
import { bearer, createClientApiTestServer, getJson, userWithToken, type ClientApiTestServer } from "../c2s/client-api.test-support.ts";

function call(server: ClientApiTestServer, method: string, path: string, token: string | null, body?: unknown): Promise<Response> {
  return server.request(path, {
    method,
    headers: { ...(token === null ? {} : bearer(token)), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

test("a user creates actors, lists its own, and cannot take a username twice", async () => {
  const server = await createClientApiTestServer();
  try {
    const alice = await userWithToken(server, { username: "alice" });
    const bob = await userWithToken(server, { username: "bob" });
    const created = await call(server, "POST", "/api/actors", alice, { preferred_username: "Alice", display_name: "Alice A.", type: "Person" });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get("location"), "https://outpost.test/users/alice");
    const view = (await created.json()) as Record<string, any>;
    assert.equal(view.id, "https://outpost.test/users/alice");
    assert.equal(view.preferred_username, "alice");
    assert.equal(view.inbox, "https://outpost.test/users/alice/inbox");
    assert.equal(view.outbox, "https://outpost.test/users/alice/outbox");
    assert.equal(view.endpoints.oauthTokenEndpoint, "https://outpost.test/oauth/token");
    const bot = await call(server, "POST", "/api/actors", alice, { preferred_username: "alicebot", type: "Service" });
    assert.equal(bot.status, 201);
    assert.equal((await getJson(server, "/users/alicebot")).body.type, "Service");

    const taken = await call(server, "POST", "/api/actors", bob, { preferred_username: "ALICE" });
    assert.equal(taken.status, 409);
    const mine = (await (await call(server, "GET", "/api/actors", alice)).json()) as { preferred_username: string }[];
    assert.deepEqual(mine.map((actor) => actor.preferred_username), ["alice", "alicebot"]);
    assert.deepEqual(await (await call(server, "GET", "/api/actors", bob)).json(), []);
  } finally {
    await server.close();
  }
});

test("missing or malformed fields are 400; no token 401; a read-only token 403", async () => {
  const server = await createClientApiTestServer();
  try {
    const alice = await userWithToken(server, { username: "alice" });
    for (const body of [{}, { preferred_username: "" }, { preferred_username: "has space" }, { preferred_username: "x", type: "Robot" }, { preferred_username: "x", extra: 1 }]) {
      assert.equal((await call(server, "POST", "/api/actors", alice, body)).status, 400, JSON.stringify(body));
    }
    const notJson = await server.request("/api/actors", { method: "POST", headers: bearer(alice, { "content-type": "application/json" }), body: "{" });
    assert.equal(notJson.status, 400);
    const anonymous = await call(server, "POST", "/api/actors", null, { preferred_username: "x" });
    assert.equal(anonymous.status, 401);
    const readOnly = await createPersonalAccessToken(server.api.ac, { username: "alice", scopes: "read" });
    assert.ok(readOnly.ok);
    const refused = await call(server, "POST", "/api/actors", readOnly.token, { preferred_username: "x" });
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get("www-authenticate") ?? "", /insufficient_scope/);
  } finally {
    await server.close();
  }
});

test("only the manager or an admin edits and deletes an actor; edits go out as Update, deletion leaves a Tombstone", async () => {
  const server = await createClientApiTestServer();
  try {
    const alice = await userWithToken(server, { username: "alice" });
    const mallory = await userWithToken(server, { username: "mallory" });
    const root = await userWithToken(server, { username: "root", admin: true });
    assert.equal((await call(server, "POST", "/api/actors", alice, { preferred_username: "alice" })).status, 201);

    assert.equal((await call(server, "PATCH", "/api/actors/alice", mallory, { display_name: "Pwned" })).status, 403);
    assert.equal((await call(server, "DELETE", "/api/actors/alice", mallory)).status, 403);
    assert.equal((await call(server, "PATCH", "/api/actors/nobody", alice, { display_name: "x" })).status, 404);
    assert.equal((await call(server, "PATCH", "/api/actors/alice", alice, {})).status, 400);

    const patched = await call(server, "PATCH", "/api/actors/alice", alice, {
      display_name: "Alice in Chains",
      summary: "Hello <b>there</b>",
      fields: [{ name: "Site", value: "https://alice.example" }],
    });
    assert.equal(patched.status, 200);
    const actor = await getJson(server, "/users/alice");
    assert.equal(actor.body.name, "Alice in Chains");
    assert.equal(actor.body.summary, "<p>Hello &lt;b&gt;there&lt;/b&gt;</p>");
    const outbox = await server.ctx.store.activities.listByActor("https://outpost.test/users/alice", { visibilities: ["public"], types: ["Update"] }, { limit: 5 });
    assert.equal(outbox.items.length, 1);

    assert.equal((await call(server, "PATCH", "/api/actors/alice", root, { display_name: "Moderated" })).status, 200);
    const deleted = await call(server, "DELETE", "/api/actors/alice", alice);
    assert.equal(deleted.status, 200);
    const gone = await getJson(server, "/users/alice");
    assert.equal(gone.status, 410);
    assert.equal(gone.body.type, "Tombstone");
    assert.deepEqual(await (await call(server, "GET", "/api/actors", alice)).json(), []);
    assert.equal((await call(server, "PATCH", "/api/actors/alice", alice, { display_name: "back" })).status, 410);
  } finally {
    await server.close();
  }
});
