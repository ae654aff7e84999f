import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateRsaKeyPair } from "../crypto/keys.ts";
import { updateProfile } from "../federation/outbox/actions/update-profile.ts";
import { AS_CONTEXT } from "../protocol/vocabulary.ts";
import type { TestStore } from "../../test/support/test-store.ts";
import { createHttpTestServer, ORIGIN, seedLocalActor, seedPost, type HttpTestServer } from "./http.test-support.ts";
import { ACTIVITY_JSON, LD_JSON_ACTIVITY_STREAMS } from "./negotiation.ts";

const HOSTILE = `<script>alert("x")</script><img src=x onerror="alert(1)">`;

describe("actor routes", () => {
  let server: HttpTestServer;
  before(async () => {
    server = await createHttpTestServer();
    await seedLocalActor(server.ctx, {
      username: "alice",
      name: "Alice",
      summary: "<p>Hello <b>world</b></p>",
      fields: [{ name: "Site", value: "https://alice.example" }],
    });
  });
  after(() => server.close());

  const get = (path: string, accept?: string) =>
    server.request(path, accept === undefined ? undefined : { headers: { accept } });

  it("serves the actor document with the fields and context servers read", async () => {
    const response = await get("/users/alice", ACTIVITY_JSON);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), ACTIVITY_JSON);
    assert.match(response.headers.get("vary") ?? "", /Accept/);
    const actor = (await response.json()) as Record<string, unknown>;
    assert.ok(Array.isArray(actor["@context"]));
    assert.equal((actor["@context"] as unknown[])[0], AS_CONTEXT);
    assert.ok((actor["@context"] as unknown[]).includes("https://w3id.org/security/v1"));
    assert.equal(actor.id, `${ORIGIN}/users/alice`);
    assert.equal(actor.type, "Person");
    assert.equal(actor.preferredUsername, "alice");
    assert.equal(actor.name, "Alice");
    assert.equal(actor.inbox, `${ORIGIN}/users/alice/inbox`);
    assert.equal(actor.outbox, `${ORIGIN}/users/alice/outbox`);
    assert.equal(actor.followers, `${ORIGIN}/users/alice/followers`);
    assert.equal(actor.url, `${ORIGIN}/@alice`);
    assert.deepEqual(actor.endpoints, { sharedInbox: `${ORIGIN}/inbox` });
    const key = actor.publicKey as Record<string, string>;
    assert.equal(key.id, `${ORIGIN}/users/alice#main-key`);
    assert.equal(key.owner, `${ORIGIN}/users/alice`);
    assert.match(key.publicKeyPem ?? "", /^-----BEGIN PUBLIC KEY-----/);
    assert.ok(!JSON.stringify(actor).includes("PRIVATE"));
    const fields = actor.attachment as Record<string, string>[];
    assert.equal(fields[0]?.name, "Site");
  });

  it("answers ld+json with the ActivityStreams profile, and plain JSON as activity+json", async () => {
    const ld = await get("/users/alice", LD_JSON_ACTIVITY_STREAMS);
    assert.equal(ld.headers.get("content-type"), LD_JSON_ACTIVITY_STREAMS);
    assert.equal(((await ld.json()) as { id: string }).id, `${ORIGIN}/users/alice`);
    for (const accept of ["application/json", "*/*", undefined]) {
      const response = await get("/users/alice", accept);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), ACTIVITY_JSON, String(accept));
    }
  });

  it("answers a browser with the profile page", async () => {
    const response = await get("/users/alice", "text/html,application/xhtml+xml,*/*;q=0.8");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(response.headers.get("vary") ?? "", /Accept/);
    const html = await response.text();
    assert.ok(html.includes("@alice@outpost.test"));
    assert.ok(html.includes("<b>world</b>"));
  });

  it("takes a .json suffix as a request for JSON", async () => {
    const response = await get("/users/alice.json", "text/html");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), ACTIVITY_JSON);
    assert.equal(((await response.json()) as { id: string }).id, `${ORIGIN}/users/alice`);
  });

  it("answers 404 for unknown and invalid usernames", async () => {
    for (const path of ["/users/nobody", "/users/not-valid!", "/users/outpost.test"]) {
      const response = await get(path, ACTIVITY_JSON);
      assert.equal(response.status, 404, path);
      assert.equal(typeof ((await response.json()) as { error: unknown }).error, "string");
    }
  });

  it("answers 410 with a Tombstone for a deleted actor", async () => {
    const actor = await seedLocalActor(server.ctx, { username: "gone" });
    await server.ctx.store.actors.markDeleted(actor.uri, new Date().toISOString());
    const response = await get("/users/gone", ACTIVITY_JSON);
    assert.equal(response.status, 410);
    const tombstone = (await response.json()) as Record<string, unknown>;
    assert.equal(tombstone.type, "Tombstone");
    assert.equal(tombstone.id, actor.uri);
    const page = await get("/@gone", "text/html");
    assert.equal(page.status, 410);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  });

  it("sends servers asking the profile page for JSON to the actor id", async () => {
    const response = await get("/@alice", ACTIVITY_JSON);
    assert.equal(response.status, 302);
    assert.equal(response.headers.get("location"), `${ORIGIN}/users/alice`);
  });

  it("serves the instance actor", async () => {
    const response = await get("/actor", ACTIVITY_JSON);
    assert.equal(response.status, 200);
    const actor = (await response.json()) as Record<string, unknown>;
    assert.equal(actor.id, `${ORIGIN}/actor`);
    assert.equal(actor.type, "Application");
    assert.equal(actor.preferredUsername, "outpost.test");
    assert.equal((actor.publicKey as { id: string }).id, `${ORIGIN}/actor#main-key`);
    const outbox = await get("/actor/outbox", ACTIVITY_JSON);
    assert.equal(((await outbox.json()) as { totalItems: number }).totalItems, 0);
  });
});

describe("profile page", () => {
  let server: HttpTestServer;
  before(async () => {
    server = await createHttpTestServer();
  });
  after(() => server.close());

  it("escapes hostile names and fields and sanitizes summaries and posts", async () => {
    const actor = await seedLocalActor(server.ctx, {
      username: "mallory",
      name: HOSTILE,
      summary: `<p>bio</p>${HOSTILE}<a href="javascript:alert(1)">x</a>`,
      fields: [{ name: HOSTILE, value: HOSTILE }],
    });
    await seedPost(server.ctx, { author: actor, content: `<p>visible post</p>${HOSTILE}`, summary: HOSTILE });
    await seedPost(server.ctx, { author: actor, content: "<p>secret followers post</p>", visibility: "followers" });
    const response = await server.request("/@mallory", { headers: { accept: "text/html" } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    const html = await response.text();
    assert.ok(!/<script/i.test(html), "no script element");
    assert.ok(!/<img[^>]*onerror/i.test(html));
    assert.ok(!html.includes("javascript:"));
    assert.ok(html.includes("&lt;script&gt;"), "the name shows as text");
    assert.ok(html.includes("visible post"));
    assert.ok(!html.includes("secret followers post"));
    assert.ok(html.includes("<p>bio</p>"));
  });

  it("shows follower and following counts", async () => {
    const actor = await seedLocalActor(server.ctx, { username: "counted" });
    for (const [i, state] of (["accepted", "accepted", "pending"] as const).entries()) {
      await server.ctx.store.follows.put({
        followerUri: `https://remote.example/users/f${i}`,
        followeeUri: actor.uri,
        activityUri: `https://remote.example/follows/${i}`,
        state,
        createdAt: new Date().toISOString(),
      });
    }
    const html = await (await server.request("/@counted", { headers: { accept: "text/html" } })).text();
    assert.ok(html.includes("2 followers"));
    assert.ok(html.includes("0 following"));
  });
});

describe("prefix mode", () => {
  let server: HttpTestServer;
  before(async () => {
    server = await createHttpTestServer({ prefix: "/activitypub" });
    await seedLocalActor(server.ctx, { username: "alice" });
  });
  after(() => server.close());

  it("serves actors under the prefix and discovery at the root", async () => {
    const actor = await server.request("/activitypub/users/alice", { headers: { accept: ACTIVITY_JSON } });
    assert.equal(actor.status, 200);
    const document = (await actor.json()) as Record<string, string>;
    assert.equal(document.id, `${ORIGIN}/activitypub/users/alice`);
    assert.equal(document.inbox, `${ORIGIN}/activitypub/users/alice/inbox`);
    assert.equal(document.url, `${ORIGIN}/@alice`);

    const json = await server.request("/activitypub/users/alice.json");
    assert.equal(json.status, 200);

    const finger = await server.request("/.well-known/webfinger?resource=acct:alice@outpost.test");
    assert.equal(finger.status, 200);
    const jrd = (await finger.json()) as { links: { rel: string; href?: string }[] };
    assert.equal(jrd.links.find((link) => link.rel === "self")?.href, `${ORIGIN}/activitypub/users/alice`);

    const profile = await server.request("/@alice", { headers: { accept: "text/html" } });
    assert.equal(profile.status, 200);
    assert.equal((await server.request("/users/alice", { headers: { accept: ACTIVITY_JSON } })).status, 404);
    assert.equal((await server.request("/nodeinfo/2.1")).status, 200);
  });
});

describe("actor document cache", () => {
  let server: HttpTestServer;
  before(async () => {
    server = await createHttpTestServer();
  });
  after(() => server.close());

  const fetchDocument = async (username: string, headers: Record<string, string> = {}) => {
    const response = await server.request(`/users/${username}`, { headers: { accept: ACTIVITY_JSON, ...headers } });
    return { response, document: response.status === 304 ? undefined : ((await response.json()) as Record<string, unknown>) };
  };

  it("shows a profile update on the very next request", async () => {
    const actor = await seedLocalActor(server.ctx, { username: "updating", name: "Before" });
    const first = await fetchDocument("updating");
    assert.equal(first.document?.name, "Before");
    assert.equal((await fetchDocument("updating")).document?.name, "Before");
    const updated = await updateProfile(server.ctx, { actor, changes: { name: "After" } });
    assert.ok(updated.ok);
    const second = await fetchDocument("updating");
    assert.equal(second.document?.name, "After");
    assert.notEqual(second.response.headers.get("etag"), first.response.headers.get("etag"));
  });

  it("shows a new key at once", async () => {
    const actor = await seedLocalActor(server.ctx, { username: "rotating" });
    const before = (await fetchDocument("rotating")).document?.publicKey as { publicKeyPem: string };
    const pair = await generateRsaKeyPair();
    await server.ctx.store.transaction(async (tx) => {
      await tx.keys.removeForOwner(actor.uri);
      await tx.keys.put({ keyId: server.ctx.uris.key("rotating"), ownerUri: actor.uri, ...pair });
    });
    const after = (await fetchDocument("rotating")).document?.publicKey as { publicKeyPem: string };
    assert.notEqual(after.publicKeyPem, before.publicKeyPem);
    assert.equal(after.publicKeyPem, pair.publicKeyPem);
  });

  it("shows a deletion and a move at once", async () => {
    const moving = await seedLocalActor(server.ctx, { username: "moving" });
    assert.equal((await fetchDocument("moving")).document?.movedTo, undefined);
    await server.ctx.store.actors.put({ ...moving, movedTo: "https://elsewhere.example/users/moving" });
    assert.equal((await fetchDocument("moving")).document?.movedTo, "https://elsewhere.example/users/moving");

    const leaving = await seedLocalActor(server.ctx, { username: "leaving" });
    assert.equal((await fetchDocument("leaving")).response.status, 200);
    await server.ctx.store.actors.markDeleted(leaving.uri, new Date().toISOString());
    const gone = await fetchDocument("leaving");
    assert.equal(gone.response.status, 410);
    assert.equal(gone.document?.type, "Tombstone");
  });

  it("follows a change of username, even one made behind the repositories' back", async () => {
    await seedLocalActor(server.ctx, { username: "oldname" });
    assert.equal((await fetchDocument("oldname")).response.status, 200);
    // As another process, or a hand-made fix in SQL, would change it.
    const store = server.ctx.store as TestStore;
    await store.db
      .updateTable("actors")
      .set({ username: "newname", username_lower: "newname" })
      .where("uri", "=", `${ORIGIN}/users/oldname`)
      .execute();
    assert.equal((await fetchDocument("oldname")).response.status, 404);
    assert.equal((await fetchDocument("newname")).document?.preferredUsername, "newname");
  });

  it("keeps representations apart and answers If-None-Match with 304", async () => {
    await seedLocalActor(server.ctx, { username: "tagged" });
    const activity = await fetchDocument("tagged");
    const etag = activity.response.headers.get("etag");
    assert.match(etag ?? "", /^"[\w-]+"$/);
    const ld = await server.request("/users/tagged", { headers: { accept: LD_JSON_ACTIVITY_STREAMS } });
    assert.equal(ld.headers.get("content-type"), LD_JSON_ACTIVITY_STREAMS);
    assert.notEqual(ld.headers.get("etag"), etag);

    const unchanged = await fetchDocument("tagged", { "if-none-match": etag! });
    assert.equal(unchanged.response.status, 304);
    assert.equal(unchanged.response.headers.get("etag"), etag);
    assert.match(unchanged.response.headers.get("vary") ?? "", /Accept/);
    assert.equal((await fetchDocument("tagged", { "if-none-match": `W/${etag}, "other"` })).response.status, 304);
    assert.equal((await fetchDocument("tagged", { "if-none-match": '"other"' })).response.status, 200);
  });
});
