import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { serveRemoteActor, signedRequest } from "../http.test-support.ts";
import {
  createActorViaApi,
  createClientApiTestServer,
  getJson,
  ORIGIN,
  postToOutbox,
  userWithToken,
  type ClientApiTestServer,
} from "./client-api.test-support.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const ALICE = `${ORIGIN}/users/alice`;
const BOB = `${ORIGIN}/users/bob`;

interface World {
  readonly server: ClientApiTestServer;
  readonly alice: string;
  readonly bob: string;
}

async function withWorld(fn: (world: World) => Promise<void>) {
  const server = await createClientApiTestServer();
  try {
    const alice = await userWithToken(server, { username: "alice" });
    await createActorViaApi(server, alice, { preferred_username: "alice" });
    const bob = await userWithToken(server, { username: "bob" });
    await createActorViaApi(server, bob, { preferred_username: "bob" });
    await fn({ server, alice, bob });
  } finally {
    await server.close();
  }
}

/** Posts and expects 201; returns the served activity. */
async function post(server: ClientApiTestServer, token: string, username: string, body: unknown): Promise<Record<string, any>> {
  const response = await postToOutbox(server, { token, username, body });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as Record<string, any>;
}

async function postNote(world: World, as: "alice" | "bob", content: string): Promise<string> {
  const token = as === "alice" ? world.alice : world.bob;
  const created = await post(world.server, token, as, { type: "Note", content, to: [PUBLIC] });
  return created.object.id as string;
}

async function collectionItems(server: ClientApiTestServer, uri: string): Promise<unknown[]> {
  const page = await getJson(server, `${uri}?page=true`);
  assert.equal(page.status, 200);
  return (page.body.orderedItems ?? page.body.items) as unknown[];
}

describe("C2S Update", () => {
  test("a partial update replaces sent properties, removes nulls, keeps the rest and bumps updated", () =>
    withWorld(async (world) => {
      const { server, alice } = world;
      const created = await post(server, alice, "alice", {
        type: "Event",
        name: "Picnic",
        startTime: "2025-06-01T12:00:00Z",
        endTime: "2025-06-01T16:00:00Z",
        location: { type: "Place", name: "Riverside park" },
        to: [PUBLIC],
      });
      const id = created.object.id as string;
      const update = await post(server, alice, "alice", { type: "Update", object: { id, name: "Picnic (moved)", endTime: null } });
      assert.equal(update.type, "Update");
      const served = await getJson(server, id);
      assert.equal(served.body.name, "Picnic (moved)");
      assert.equal(served.body.endTime, undefined);
      assert.equal(served.body.startTime, "2025-06-01T12:00:00Z");
      assert.deepEqual(served.body.location, { type: "Place", name: "Riverside park" });
      assert.equal(typeof served.body.updated, "string");
      assert.ok(Date.parse(served.body.updated as string) > Date.parse(served.body.published as string) - 1);
    }));

  test("only the owner's objects: another actor's is 403, a foreign id 400, a changed type 400", () =>
    withWorld(async (world) => {
      const { server, alice } = world;
      const bobs = await postNote(world, "bob", "bob's");
      const own = await postNote(world, "alice", "alice's");
      const other = await postToOutbox(server, { token: alice, username: "alice", body: { type: "Update", object: { id: bobs, content: "mine now" } } });
      assert.equal(other.status, 403);
      const foreign = await postToOutbox(server, {
        token: alice,
        username: "alice",
        body: { type: "Update", object: { id: "https://elsewhere.example/notes/1", content: "x" } },
      });
      assert.equal(foreign.status, 400);
      const retyped = await postToOutbox(server, { token: alice, username: "alice", body: { type: "Update", object: { id: own, type: "Article" } } });
      assert.equal(retyped.status, 400);
      assert.equal((await getJson(server, bobs)).body.content, "bob's");
    }));
});

describe("C2S Delete", () => {
  test("a deleted object answers 410 with a Tombstone", () =>
    withWorld(async (world) => {
      const { server, alice } = world;
      const id = await post(server, alice, "alice", { type: "Article", name: "Essay", content: "<p>long</p>", to: [PUBLIC] }).then((a) => a.object.id as string);
      await post(server, alice, "alice", { type: "Delete", object: id });
      const served = await getJson(server, id);
      assert.equal(served.status, 410);
      assert.equal(served.body.type, "Tombstone");
      assert.equal(served.body.formerType, "Article");
      assert.equal(typeof served.body.deleted, "string");
      const again = await postToOutbox(server, { token: alice, username: "alice", body: { type: "Delete", object: id } });
      assert.equal(again.status, 410);
    }));
});

describe("C2S Follow, Like, Announce, Add, Block, Undo", () => {
  test("bto and bcc reach their recipients but are stripped from what is delivered", () =>
    withWorld(async (world) => {
      const { server, alice } = world;
      const carol = serveRemoteActor({ network: server.network, username: "carol" });
      const dave = serveRemoteActor({ network: server.network, username: "dave", origin: "https://other.example" });
      server.network.route("https://mastodon.example/inbox", () => new Response(null, { status: 202 }));
      server.network.route(`${dave.uri}/inbox`, () => new Response(null, { status: 202 }));
      await post(server, alice, "alice", { type: "Note", content: "psst", to: [carol.uri], bto: [dave.uri] });
      await server.worker.runUntilIdle();
      for (const inbox of ["https://mastodon.example/inbox", `${dave.uri}/inbox`]) {
        const delivered = server.network.requestsTo(inbox);
        assert.equal(delivered.length, 1, inbox);
        const body = JSON.parse(delivered[0]!.body) as Record<string, any>;
        assert.equal(body.type, "Create");
        assert.equal(body.bto, undefined);
        assert.equal(body.object.bto, undefined);
        assert.doesNotMatch(delivered[0]!.body, /users\/dave/);
      }
    }));

  test("a Follow of a remote actor is pending until accepted, and is delivered", () =>
    withWorld(async (world) => {
      const { server, alice } = world;
      const remote = serveRemoteActor({ network: server.network, username: "carol" });
      server.network.route("https://mastodon.example/inbox", () => new Response(null, { status: 202 }));
      await post(server, alice, "alice", { type: "Follow", object: remote.uri });
      const follow = await server.ctx.store.follows.get(ALICE, remote.uri);
      assert.equal(follow?.state, "pending");
      assert.equal((await getJson(server, `${ALICE}/following`)).body.totalItems, 0);
      await server.worker.runUntilIdle();
      const delivered = server.network.requestsTo("https://mastodon.example/inbox");
      assert.equal(delivered.length, 1);
      const body = JSON.parse(delivered[0]!.body) as Record<string, unknown>;
      assert.equal(body.type, "Follow");
      assert.equal(body.object, remote.uri);
    }));

  test("a Follow of a local actor becomes accepted once its Accept arrives", () =>
    withWorld(async (world) => {
      const { server, alice } = world;
      await post(server, alice, "alice", { type: "Follow", object: BOB });
      await server.worker.runUntilIdle();
      assert.equal((await server.ctx.store.follows.get(ALICE, BOB))?.state, "accepted");
      assert.deepEqual(await collectionItems(server, `${ALICE}/following`), [BOB]);
    }));

  test("Like and Announce show in the collections; Undo takes them back, but only by their own actor", () =>
    withWorld(async (world) => {
      const { server, alice, bob } = world;
      const note = await postNote(world, "bob", "likeable");
      const like = await post(server, alice, "alice", { type: "Like", object: note });
      const boost = await post(server, alice, "alice", { type: "Announce", object: note, to: [PUBLIC] });
      assert.deepEqual(await collectionItems(server, `${ALICE}/liked`), [note]);
      assert.deepEqual(await collectionItems(server, `${note}/likes`), [like.id]);
      assert.deepEqual(await collectionItems(server, `${note}/shares`), [boost.id]);
      const twice = await postToOutbox(server, { token: alice, username: "alice", body: { type: "Like", object: note } });
      assert.equal(twice.status, 409);

      const stolen = await postToOutbox(server, { token: bob, username: "bob", body: { type: "Undo", object: like.id } });
      assert.equal(stolen.status, 403);
      await post(server, alice, "alice", { type: "Undo", object: like.id });
      await post(server, alice, "alice", { type: "Undo", object: { id: boost.id, type: "Announce" } });
      assert.deepEqual(await collectionItems(server, `${ALICE}/liked`), []);
      assert.deepEqual(await collectionItems(server, `${note}/shares`), []);
    }));

  test("Add and Remove change featured and the actor's own collections, not others'", () =>
    withWorld(async (world) => {
      const { server, alice, bob } = world;
      const note = await postNote(world, "alice", "pin me");
      await post(server, alice, "alice", { type: "Add", object: note, target: `${ALICE}/collections/featured` });
      const featured = await getJson(server, `${ALICE}/collections/featured`);
      assert.deepEqual((featured.body.orderedItems as { id: string }[]).map((item) => item.id), [note]);

      const shelf = await post(server, alice, "alice", { type: "OrderedCollection", name: "Reading list", to: [PUBLIC] });
      const shelfId = shelf.object.id as string;
      await post(server, alice, "alice", { type: "Add", object: "https://elsewhere.example/books/1", target: shelfId });
      await post(server, alice, "alice", { type: "Add", object: note, target: shelfId });
      const served = await getJson(server, shelfId);
      assert.equal(served.body.type, "OrderedCollection");
      assert.equal(served.body.name, "Reading list");
      assert.equal(served.body.totalItems, 2);
      assert.deepEqual(await collectionItems(server, shelfId), [note, "https://elsewhere.example/books/1"]);
      await post(server, alice, "alice", { type: "Remove", object: note, target: shelfId });
      assert.deepEqual(await collectionItems(server, shelfId), ["https://elsewhere.example/books/1"]);

      const foreign = await postToOutbox(server, { token: bob, username: "bob", body: { type: "Add", object: note, target: shelfId } });
      assert.equal(foreign.status, 403);
      await post(server, alice, "alice", { type: "Remove", object: note, target: `${ALICE}/collections/featured` });
      assert.deepEqual((await getJson(server, `${ALICE}/collections/featured`)).body.orderedItems, []);
    }));

  test("a Block is recorded, never delivered, and the blocked actor's deliveries are dropped", () =>
    withWorld(async (world) => {
      const { server, alice } = world;
      const remote = serveRemoteActor({ network: server.network, username: "mallory", key: "remote-mallory" });
      server.network.route("https://mastodon.example/inbox", () => new Response(null, { status: 202 }));
      const deliver = async (n: number) => {
        const create = {
          "@context": "https://www.w3.org/ns/activitystreams",
          id: `${remote.uri}/statuses/${n}/activity`,
          type: "Create",
          actor: remote.uri,
          to: [ALICE],
          object: { id: `${remote.uri}/statuses/${n}`, type: "Note", attributedTo: remote.uri, content: "hello?", to: [ALICE] },
        };
        const body = JSON.stringify(create);
        const url = `${ORIGIN}/users/alice/inbox`;
        const signed = signedRequest({ url, signer: remote, method: "POST", body, contentType: "application/activity+json" });
        const response = await server.request("/users/alice/inbox", { method: "POST", headers: signed.headers, body });
        assert.ok(response.status < 300);
        await server.worker.runUntilIdle();
        return server.ctx.store.objects.get(`${remote.uri}/statuses/${n}`);
      };
      assert.notEqual(await deliver(1), null, "before the block, deliveries arrive");
      const block = await post(server, alice, "alice", { type: "Block", object: remote.uri });
      assert.notEqual(await server.ctx.store.blocks.get(ALICE, remote.uri), null);
      await server.worker.runUntilIdle();
      assert.equal(server.network.requestsTo("https://mastodon.example/inbox").length, 0);

      assert.equal(await deliver(2), null, "after it, they are dropped");

      await post(server, alice, "alice", { type: "Undo", object: block.id });
      assert.equal(await server.ctx.store.blocks.get(ALICE, remote.uri), null);
    }));
});
