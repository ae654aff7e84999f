import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createPersonalAccessToken } from "../../federation/accounts/tokens.ts";
import {
  bearer,
  createActorViaApi,
  createClientApiTestServer,
  getJson,
  postToOutbox,
  userWithToken,
  type ClientApiTestServer,
} from "./client-api.test-support.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

async function withServer(fn: (server: ClientApiTestServer) => Promise<void>, params: Parameters<typeof createClientApiTestServer>[0] = {}) {
  const server = await createClientApiTestServer(params);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

async function aliceWithActor(server: ClientApiTestServer, scopes?: string) {
  const token = await userWithToken(server, { username: "alice", ...(scopes === undefined ? {} : { scopes }) });
  await createActorViaApi(server, token, { preferred_username: "alice", display_name: "Alice" });
  return token;
}

async function errorOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: string }).error;
}

describe("POST outbox: who may post", () => {
  test("401 without a token, with a challenge", () =>
    withServer(async (server) => {
      await aliceWithActor(server);
      const response = await server.request("/users/alice/outbox", {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify({ type: "Note", content: "hi" }),
      });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="outpost"');
    }));

  test("401 invalid_token for a revoked and an unknown token", () =>
    withServer(async (server) => {
      const token = await aliceWithActor(server);
      const alice = await server.api.ac.accounts.users.getByUsername("alice");
      const [record] = await server.api.ac.accounts.tokens.listForUser(alice!.id);
      await server.api.ac.accounts.tokens.revoke(record!.id, new Date().toISOString());
      const revoked = await postToOutbox(server, { token, username: "alice", body: { type: "Note", content: "x" } });
      assert.equal(revoked.status, 401);
      assert.match(revoked.headers.get("www-authenticate") ?? "", /error="invalid_token", error_description="the token was revoked"/);
      const unknown = await postToOutbox(server, { token: `${token}x`, username: "alice", body: { type: "Note", content: "x" } });
      assert.equal(unknown.status, 401);
      assert.match(unknown.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
    }));

  test("401 for a token that expired", () => {
    let now = Date.parse("2025-03-01T00:00:00Z");
    return withServer(
      async (server) => {
        const token = await userWithToken(server, { username: "alice", expiresInMs: 60_000 });
        await createActorViaApi(server, token, { preferred_username: "alice" });
        now += 60_001;
        const response = await postToOutbox(server, { token, username: "alice", body: { type: "Note", content: "x" } });
        assert.equal(response.status, 401);
        assert.match(response.headers.get("www-authenticate") ?? "", /error_description="the token expired"/);
      },
      { now: () => new Date(now) },
    );
  });

  test("403 insufficient_scope for a read-only token", () =>
    withServer(async (server) => {
      await aliceWithActor(server);
      const made = await createPersonalAccessToken(server.api.ac, { username: "alice", scopes: "read" });
      assert.ok(made.ok);
      const response = await postToOutbox(server, { token: made.token, username: "alice", body: { type: "Note", content: "x" } });
      assert.equal(response.status, 403);
      assert.match(response.headers.get("www-authenticate") ?? "", /error="insufficient_scope".*scope="write:outbox"/);
    }));

  test("403 when the token's user does not manage the actor; 404 for no such actor", () =>
    withServer(async (server) => {
      await aliceWithActor(server);
      const mallory = await userWithToken(server, { username: "mallory" });
      const response = await postToOutbox(server, { token: mallory, username: "alice", body: { type: "Note", content: "x" } });
      assert.equal(response.status, 403);
      const missing = await postToOutbox(server, { token: mallory, username: "nobody", body: { type: "Note", content: "x" } });
      assert.equal(missing.status, 404);
    }));
});

describe("POST outbox: what may be posted", () => {
  test("400 for malformed JSON, a missing type, a foreign actor, a foreign object id", () =>
    withServer(async (server) => {
      const token = await aliceWithActor(server);
      const malformed = await postToOutbox(server, { token, username: "alice", body: '{"type": "Note",' });
      assert.equal(malformed.status, 400);
      assert.match(await errorOf(malformed), /not valid JSON/);
      const noType = await postToOutbox(server, { token, username: "alice", body: { content: "hi" } });
      assert.equal(noType.status, 400);
      assert.match(await errorOf(noType), /no "type"/);
      const foreignActor = await postToOutbox(server, {
        token,
        username: "alice",
        body: { type: "Create", actor: "https://outpost.test/users/bob", object: { type: "Note", content: "hi" } },
      });
      assert.equal(foreignActor.status, 400);
      assert.match(await errorOf(foreignActor), /"actor" must be the outbox's owner/);
      const foreignId = await postToOutbox(server, {
        token,
        username: "alice",
        body: { type: "Note", id: "https://elsewhere.example/notes/1", content: "hi" },
      });
      assert.equal(foreignId.status, 400);
      assert.match(await errorOf(foreignId), /another origin/);
      const array = await postToOutbox(server, { token, username: "alice", body: [] });
      assert.equal(array.status, 400);
    }));

  test("415 for other media types, 413 over the size limit", () =>
    withServer(
      async (server) => {
        const token = await aliceWithActor(server);
        const asJson = await server.request("/users/alice/outbox", {
          method: "POST",
          headers: bearer(token, { "content-type": "application/json" }),
          body: JSON.stringify({ type: "Note", content: "hi" }),
        });
        assert.equal(asJson.status, 415);
        const ld = await server.request("/users/alice/outbox", {
          method: "POST",
          headers: bearer(token, { "content-type": 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' }),
          body: JSON.stringify({ type: "Note", content: "hi" }),
        });
        assert.equal(ld.status, 201);
        const large = await postToOutbox(server, { token, username: "alice", body: { type: "Note", content: "x".repeat(5000) } });
        assert.equal(large.status, 413);
      },
      { mount: { maxOutboxBytes: 4096 } },
    ));
});

describe("POST outbox: creating", () => {
  test("a bare Note is wrapped in a Create with minted ids; it is served whole", () =>
    withServer(async (server) => {
      const token = await aliceWithActor(server);
      const response = await postToOutbox(server, {
        token,
        username: "alice",
        body: { "@context": "https://www.w3.org/ns/activitystreams", type: "Note", content: "<p>Hello <script>x()</script>world</p>", to: [PUBLIC] },
      });
      assert.equal(response.status, 201);
      const location = response.headers.get("location") ?? "";
      assert.match(location, /^https:\/\/outpost\.test\/users\/alice\/activities\/[0-9A-Z]{26}$/);
      const activity = (await response.json()) as Record<string, any>;
      assert.equal(activity.id, location);
      assert.equal(activity.type, "Create");
      assert.equal(activity.actor, "https://outpost.test/users/alice");
      assert.match(activity.object.id, /^https:\/\/outpost\.test\/users\/alice\/objects\/[0-9A-Z]{26}$/);
      const note = await getJson(server, activity.object.id);
      assert.equal(note.status, 200);
      assert.equal(note.body.attributedTo, "https://outpost.test/users/alice");
      assert.equal(typeof note.body.published, "string");
      assert.equal(note.body.content, "<p>Hello world</p>");
      assert.deepEqual(note.body.to, [PUBLIC]);
      const served = await getJson(server, location);
      assert.equal(served.status, 200);
      assert.equal(served.body.type, "Create");
    }));

  test("an Event with a Place comes back whole; bto/bcc are used but never shown", () =>
    withServer(async (server) => {
      const token = await aliceWithActor(server);
      const event = {
        "@context": ["https://www.w3.org/ns/activitystreams", { schema: "http://schema.org#" }],
        type: "Event",
        name: "Picnic",
        startTime: "2025-06-01T12:00:00Z",
        endTime: "2025-06-01T16:00:00Z",
        location: { type: "Place", name: "Riverside park", latitude: 52.5, longitude: 13.4, units: "m" },
        "schema:maximumAttendeeCapacity": 30,
        to: [PUBLIC],
        bcc: ["https://outpost.test/users/secret"],
      };
      const response = await postToOutbox(server, { token, username: "alice", body: event });
      assert.equal(response.status, 201);
      const activity = (await response.json()) as Record<string, any>;
      assert.equal(activity.bcc, undefined);
      const served = await getJson(server, activity.object.id);
      const { bcc: _bcc, ...shown } = event;
      for (const [key, value] of Object.entries(shown)) assert.deepEqual(served.body[key], value, key);
      assert.equal(served.body.bcc, undefined);
      const stored = await server.ctx.store.objects.get(activity.object.id);
      assert.deepEqual(stored?.recipients, ["https://outpost.test/users/secret"]);
    }));
});

describe("POST outbox: retries", () => {
  test("the same Idempotency-Key creates one activity; reused for another body it is refused", () =>
    withServer(async (server) => {
      const token = await aliceWithActor(server);
      const body = { type: "Note", content: "only once", to: [PUBLIC] };
      const headers = { "idempotency-key": "retry-7f3a" };
      const first = await postToOutbox(server, { token, username: "alice", body, headers });
      const second = await postToOutbox(server, { token, username: "alice", body, headers });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.equal(second.headers.get("location"), first.headers.get("location"));
      assert.equal(second.headers.get("idempotent-replayed"), "true");
      const alice = await server.ctx.store.actors.getLocal("alice");
      assert.equal(await server.ctx.store.activities.countByActor(alice!.uri, { visibilities: ["public"] }), 1);
      const other = await postToOutbox(server, { token, username: "alice", body: { ...body, content: "different" }, headers });
      assert.equal(other.status, 422);
      // A failed request does not use up its key.
      const failed = await postToOutbox(server, { token, username: "alice", body: { content: "no type" }, headers: { "idempotency-key": "k2" } });
      assert.equal(failed.status, 400);
      const fixed = await postToOutbox(server, { token, username: "alice", body, headers: { "idempotency-key": "k2" } });
      assert.equal(fixed.status, 201);
    }));
});
