import assert from "node:assert/strict";
import { test } from "node:test";
import { createPersonalAccessToken } from "../../federation/accounts/tokens.ts";
import { createActorViaApi, createClientApiTestServer, getJson, ORIGIN, postToOutbox, userWithToken } from "./client-api.test-support.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const ALICE = `${ORIGIN}/users/alice`;
const BOB = `${ORIGIN}/users/bob`;

function contents(page: Record<string, unknown>): string[] {
  return (page.orderedItems as { object: { content: string } }[]).map((activity) => activity.object.content);
}

test("the inbox shows its owner everything addressed to the actor, and anyone else only the public part", async () => {
  const server = await createClientApiTestServer();
  try {
    const alice = await userWithToken(server, { username: "alice" });
    await createActorViaApi(server, alice, { preferred_username: "alice" });
    const bob = await userWithToken(server, { username: "bob" });
    await createActorViaApi(server, bob, { preferred_username: "bob" });
    for (const body of [
      { type: "Note", content: "just for bob", to: [BOB] },
      { type: "Note", content: "hello everyone, and bob", to: [PUBLIC], cc: [BOB] },
    ]) {
      assert.equal((await postToOutbox(server, { token: alice, username: "alice", body })).status, 201);
    }
    await server.worker.runUntilIdle();

    const collection = await getJson(server, "/users/bob/inbox", bob);
    assert.equal(collection.status, 200);
    assert.equal(collection.body.type, "OrderedCollection");
    assert.equal(collection.body.first, `${BOB}/inbox?page=true`);
    const own = await getJson(server, "/users/bob/inbox?page=true", bob);
    assert.deepEqual(contents(own.body), ["hello everyone, and bob", "just for bob"]);
    const anonymous = await getJson(server, "/users/bob/inbox?page=true");
    assert.deepEqual(contents(anonymous.body), ["hello everyone, and bob"]);
    const otherUser = await getJson(server, "/users/bob/inbox?page=true", alice);
    assert.deepEqual(contents(otherUser.body), ["hello everyone, and bob"]);

    const writeOnly = await createPersonalAccessToken(server.api.ac, { username: "bob", scopes: "write" });
    assert.ok(writeOnly.ok);
    assert.equal((await getJson(server, "/users/bob/inbox?page=true", writeOnly.token)).status, 403);
    assert.equal((await getJson(server, "/users/bob/inbox?page=true", "not-a-real-token-at-all-0123456789")).status, 401);
    assert.equal((await getJson(server, "/users/nobody/inbox")).status, 404);
  } finally {
    await server.close();
  }
});

test("the outbox shows its owner non-public activities too; others see the public outbox", async () => {
  const server = await createClientApiTestServer();
  try {
    const alice = await userWithToken(server, { username: "alice" });
    await createActorViaApi(server, alice, { preferred_username: "alice" });
    const bob = await userWithToken(server, { username: "bob" });
    for (const body of [
      { type: "Note", content: "public", to: [PUBLIC], cc: [`${ALICE}/followers`] },
      { type: "Note", content: "followers only", to: [`${ALICE}/followers`] },
      { type: "Note", content: "direct", to: [BOB] },
    ]) {
      assert.equal((await postToOutbox(server, { token: alice, username: "alice", body })).status, 201);
    }
    const own = await getJson(server, "/users/alice/outbox?page=true", alice);
    assert.equal(own.status, 200);
    assert.deepEqual(contents(own.body), ["direct", "followers only", "public"]);
    assert.equal((await getJson(server, "/users/alice/outbox", alice)).body.totalItems, 3);
    const anonymous = await getJson(server, "/users/alice/outbox?page=true");
    assert.deepEqual(contents(anonymous.body), ["public"]);
    const otherUser = await getJson(server, "/users/alice/outbox?page=true", bob);
    assert.deepEqual(contents(otherUser.body), ["public"]);
    // Servers may sign with an Authorization header of their own scheme: that is no token, and reads as anyone.
    const signed = await server.request("/users/alice/outbox?page=true", {
      headers: { accept: "application/activity+json", authorization: 'Signature keyId="https://remote.example/actor#main-key",signature="x"' },
    });
    assert.equal(signed.status, 200);
    assert.deepEqual(contents((await signed.json()) as Record<string, unknown>), ["public"]);
  } finally {
    await server.close();
  }
});
