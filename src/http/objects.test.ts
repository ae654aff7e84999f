import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ActorRecord } from "../store/records.ts";
import {
  createHttpTestServer,
  ORIGIN,
  seedLocalActor,
  seedPost,
  serveRemoteActor,
  signedRequest,
  type HttpTestServer,
  type RemoteTestActor,
} from "./http.test-support.ts";
import { ACTIVITY_JSON } from "./negotiation.ts";

describe("object routes", () => {
  let server: HttpTestServer;
  let alice: ActorRecord;
  let follower: RemoteTestActor;
  let stranger: RemoteTestActor;

  before(async () => {
    server = await createHttpTestServer();
    alice = await seedLocalActor(server.ctx, { username: "alice", name: "Alice" });
    follower = serveRemoteActor({ network: server.network, username: "fran", key: "remote-alice" });
    stranger = serveRemoteActor({ network: server.network, username: "mallory", key: "remote-mallory" });
    await server.ctx.store.follows.put({
      followerUri: follower.uri,
      followeeUri: alice.uri,
      activityUri: "https://mastodon.example/follows/1",
      state: "accepted",
      createdAt: new Date().toISOString(),
    });
  });
  after(() => server.close());

  const get = (url: string, accept = ACTIVITY_JSON) => server.request(url, { headers: { accept } });
  const signedGet = (url: string, signer: RemoteTestActor) => server.app.fetch(signedRequest({ url, signer }));

  it("serves a public post at its id, as JSON and as a page", async () => {
    const { object } = await seedPost(server.ctx, { author: alice, content: "<p>hello fediverse</p>" });
    const response = await get(object.uri);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), ACTIVITY_JSON);
    const note = (await response.json()) as Record<string, unknown>;
    assert.equal(note.id, object.uri);
    assert.equal(note.content, "<p>hello fediverse</p>");
    assert.ok(note["@context"] !== undefined);

    const page = await get(object.uri, "text/html");
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes("hello fediverse"));
    assert.ok(html.includes("Alice"));

    const aliased = await get(`${object.uri}.json`, "text/html");
    assert.equal(aliased.headers.get("content-type"), ACTIVITY_JSON);
  });

  it("never serves blind recipients", async () => {
    const { object } = await seedPost(server.ctx, { author: alice, content: "<p>bcc</p>" });
    await server.ctx.store.objects.put({
      ...object,
      document: { ...object.document, bcc: ["https://secret.example/users/s"] },
    });
    const note = (await (await get(object.uri)).json()) as Record<string, unknown>;
    assert.equal(note.bcc, undefined);
  });

  it("answers 410 with the Tombstone for a deleted post and its Create", async () => {
    const { object, createUri } = await seedPost(server.ctx, { author: alice, content: "<p>regret</p>" });
    assert.equal((await get(createUri)).status, 200);
    const deletedAt = new Date().toISOString();
    await server.ctx.store.objects.tombstone(object.uri, {
      deletedAt,
      formerType: "Note",
      tombstone: { id: object.uri, type: "Tombstone", formerType: "Note", deleted: deletedAt },
    });
    const response = await get(object.uri);
    assert.equal(response.status, 410);
    const tombstone = (await response.json()) as Record<string, unknown>;
    assert.equal(tombstone.type, "Tombstone");
    assert.equal(tombstone.id, object.uri);
    assert.ok(!JSON.stringify(tombstone).includes("regret"));

    const create = await get(createUri);
    assert.equal(create.status, 410);
    assert.ok(!(await create.text()).includes("regret"));
    assert.equal((await get(object.uri, "text/html")).status, 410);
  });

  it("hides a followers-only post from anonymous readers and browsers", async () => {
    const { object, createUri } = await seedPost(server.ctx, {
      author: alice,
      content: "<p>for followers</p>",
      visibility: "followers",
    });
    for (const accept of [ACTIVITY_JSON, "text/html"]) {
      const response = await get(object.uri, accept);
      assert.equal(response.status, 404, accept);
      assert.ok(!(await response.text()).includes("for followers"));
    }
    assert.equal((await get(createUri)).status, 404);
    const unknown = await get(`${ORIGIN}/users/alice/objects/01ARZ3NDEKTSV4RRFFQ69G5FAV`);
    assert.equal(unknown.status, 404, "an unknown id looks the same");
  });

  it("serves a followers-only post to a signed fetch by an accepted follower only", async () => {
    const { object } = await seedPost(server.ctx, {
      author: alice,
      content: "<p>for followers</p>",
      visibility: "followers",
    });
    const allowed = await signedGet(object.uri, follower);
    assert.equal(allowed.status, 200);
    assert.equal(((await allowed.json()) as { content: string }).content, "<p>for followers</p>");
    assert.match(allowed.headers.get("cache-control") ?? "", /private/);

    const refused = await signedGet(object.uri, stranger);
    assert.equal(refused.status, 404);
  });

  it("serves a direct post to a signed fetch by an addressee", async () => {
    const { object } = await seedPost(server.ctx, {
      author: alice,
      content: "<p>just you</p>",
      visibility: "direct",
      mentions: [stranger.uri],
    });
    assert.equal((await signedGet(object.uri, stranger)).status, 200);
    assert.equal((await signedGet(object.uri, follower)).status, 404, "followers do not see direct posts");
  });

  it("refuses a signature made for another URL", async () => {
    const { object } = await seedPost(server.ctx, { author: alice, content: "<p>f</p>", visibility: "followers" });
    const other = signedRequest({ url: `${ORIGIN}/users/alice`, signer: follower });
    const replayed = new Request(object.uri, { headers: other.headers });
    assert.equal((await server.app.fetch(replayed)).status, 404);
  });

  it("escapes and sanitizes hostile content on the post page", async () => {
    const { object } = await seedPost(server.ctx, {
      author: alice,
      content: `<p>hi</p><script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">link</a>`,
      summary: `<img src=x onerror=alert(3)>`,
    });
    const html = await (await get(object.uri, "text/html")).text();
    assert.ok(!/<script/i.test(html));
    assert.ok(!html.includes("javascript:"));
    assert.ok(!/onclick=/i.test(html));
    assert.ok(!/<img[^>]*onerror/i.test(html));
    assert.ok(html.includes("&lt;img src=x onerror=alert(3)&gt;"), "the content warning shows as text");
  });
});
