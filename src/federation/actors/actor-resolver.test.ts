import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { createTestContext } from "../../../test/support/federation-context.ts";
import { createFakeNetwork } from "../fetch/fake-network.test-support.ts";
import { forgetCachedActor, refreshActorFromDocument, resolveActor, resolveKey, storedActor } from "./actor-resolver.ts";
import { createLocalActor } from "./local-actors.ts";

type Json = Record<string, any>;

function fixture(path: string): Json {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url), "utf8"));
}
function pem(name: string): string {
  return readFileSync(new URL(`../../../test/fixtures/keys/${name}.pem`, import.meta.url), "utf8");
}

const mastodon = fixture("mastodon/actor.json");
const gotosocial = fixture("gotosocial/actor.json");
const misskey = fixture("misskey/actor.json");
const HOUR = 3600 * 1000;

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

async function setup(start = new Date("2025-03-01T12:00:00Z")) {
  const net = createFakeNetwork();
  const clock = { now: start };
  const ctx = await createTestContext({ fetch: net.fetch, now: () => clock.now });
  closers.push(() => ctx.store.close());
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { net, ctx, advance };
}

describe("resolveActor", () => {
  for (const [server, document] of [
    ["Mastodon", mastodon],
    ["GoToSocial", gotosocial],
    ["Misskey", misskey],
  ] as const) {
    it(`fetches and stores a ${server} actor with its keys`, async () => {
      const { net, ctx } = await setup();
      net.serveJson(document.id, document);
      const result = await resolveActor(ctx, document.id);
      assert.equal(result.ok, true);
      if (!result.ok) return;
      assert.equal(result.actor.uri, document.id);
      assert.equal(result.actor.inbox, document.inbox);
      assert.equal(result.actor.local, false);
      assert.equal(result.actor.username, document.preferredUsername);
      assert.deepEqual(await ctx.store.actors.get(document.id), result.actor);
      const keys = await ctx.store.keys.listForOwner(document.id);
      assert.deepEqual(keys.map((k) => k.keyId), [document.publicKey.id]);
      assert.equal(keys[0]!.privateKeyPem, null);
    });
  }

  it("keeps the shared inbox wherever the server puts it", async () => {
    const { net, ctx } = await setup();
    net.serveJson(mastodon.id, mastodon);
    net.serveJson(gotosocial.id, gotosocial);
    const m = await resolveActor(ctx, mastodon.id);
    const g = await resolveActor(ctx, gotosocial.id);
    assert.equal(m.ok && m.actor.sharedInbox, "https://mastodon.example/inbox");
    assert.equal(g.ok && g.actor.sharedInbox, null);
  });

  it("sanitizes the profile text and field values", async () => {
    const { net, ctx } = await setup();
    net.serveJson(mastodon.id, {
      ...mastodon,
      summary: '<p onclick="steal()">hi<script>alert(1)</script></p>',
      attachment: [{ type: "PropertyValue", name: "x", value: '<a href="javascript:alert(1)">link</a><img src="https://tracker.example/p.gif">' }],
    });
    const result = await resolveActor(ctx, mastodon.id);
    assert.ok(result.ok);
    assert.equal(result.actor.summary, "<p>hi</p>");
    assert.doesNotMatch(result.actor.fields[0]!.value, /javascript|<img|onclick/);
  });

  it("answers from the cache and the store while the copy is fresh", async () => {
    const { net, ctx, advance } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveActor(ctx, mastodon.id);
    advance(HOUR);
    forgetCachedActor(ctx, mastodon.id);
    const again = await resolveActor(ctx, mastodon.id);
    assert.equal(again.ok, true);
    assert.equal(net.requestsTo(mastodon.id).length, 1);
  });

  it("fetches concurrent lookups of one unknown actor once", async () => {
    const { net, ctx } = await setup();
    net.serveJson(mastodon.id, mastodon);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => resolveActor(ctx, mastodon.id)));
    assert.ok(results.every((r) => r.ok));
    assert.equal(net.requestsTo(mastodon.id).length, 1);
  });

  it("fetches a stale actor again and picks up its changes", async () => {
    const { net, ctx, advance } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveActor(ctx, mastodon.id);
    net.serveJson(mastodon.id, { ...mastodon, name: "Alice in Wonderland" });
    advance(ctx.config.actorStaleAfterMs + 1);
    const result = await resolveActor(ctx, mastodon.id);
    assert.equal(result.ok && result.actor.name, "Alice in Wonderland");
    assert.equal(net.requestsTo(mastodon.id).length, 2);
  });

  it("fetches on request even when fresh", async () => {
    const { net, ctx } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveActor(ctx, mastodon.id);
    await resolveActor(ctx, mastodon.id, { refresh: true });
    assert.equal(net.requestsTo(mastodon.id).length, 2);
  });

  it("keeps using a stale copy while the actor's server is down", async () => {
    const { net, ctx, advance } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveActor(ctx, mastodon.id);
    net.route(mastodon.id, () => new Response("", { status: 503 }));
    advance(ctx.config.actorStaleAfterMs + 1);
    const result = await resolveActor(ctx, mastodon.id);
    assert.equal(result.ok && result.actor.name, "Alice Liddell");
  });

  it("marks an actor deleted when its server says it is gone", async () => {
    const { net, ctx, advance } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveActor(ctx, mastodon.id);
    net.route(mastodon.id, () => new Response("", { status: 410 }));
    advance(ctx.config.actorStaleAfterMs + 1);
    const result = await resolveActor(ctx, mastodon.id);
    assert.equal(result.ok === false && result.reason, "gone");
    assert.notEqual((await ctx.store.actors.get(mastodon.id))?.deletedAt, null);
    assert.deepEqual(await ctx.store.keys.listForOwner(mastodon.id), []);
    assert.equal(await resolveKey(ctx, mastodon.publicKey.id, { refresh: false }), null);
  });

  it("refuses an actor served for a URI on another host", async () => {
    const { net, ctx } = await setup();
    net.route("https://alias.example/users/alice", () => new Response(null, { status: 302, headers: { location: mastodon.id } }));
    net.serveJson(mastodon.id, mastodon);
    const result = await resolveActor(ctx, "https://alias.example/users/alice");
    assert.equal(result.ok === false && result.reason, "hostMismatch");
    assert.equal(await ctx.store.actors.get(mastodon.id), null);
  });

  it("refuses a document that is not an actor", async () => {
    const { net, ctx } = await setup();
    net.serveJson("https://remote.example/notes/1", { id: "https://remote.example/notes/1", type: "Note", content: "hi" });
    const result = await resolveActor(ctx, "https://remote.example/notes/1");
    assert.equal(result.ok === false && result.reason, "invalidActor");
  });

  it("does not store keys an actor claims on another origin", async () => {
    const { net, ctx } = await setup();
    const victimKey = "https://victim.example/users/bob#main-key";
    net.serveJson("https://evil.example/users/mallory", {
      ...mastodon,
      id: "https://evil.example/users/mallory",
      inbox: "https://evil.example/users/mallory/inbox",
      publicKey: { id: victimKey, owner: "https://evil.example/users/mallory", publicKeyPem: pem("remote-mallory-public") },
    });
    const result = await resolveActor(ctx, "https://evil.example/users/mallory");
    assert.equal(result.ok, true);
    assert.equal(await ctx.store.keys.get(victimKey), null);
  });

  it("answers local actors from the store without fetching", async () => {
    const { net, ctx } = await setup();
    const created = await createLocalActor(ctx, { username: "alice" });
    assert.ok(created.ok);
    const result = await resolveActor(ctx, created.actor.uri);
    assert.equal(result.ok && result.actor.uri, created.actor.uri);
    const missing = await resolveActor(ctx, ctx.uris.actor("nobody"));
    assert.equal(missing.ok === false && missing.reason, "notFound");
    assert.equal(net.requests.length, 0);
  });
});

describe("storedActor", () => {
  it("answers what is stored, and null for an unknown actor, without fetching", async () => {
    const { net, ctx } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveActor(ctx, mastodon.id);
    forgetCachedActor(ctx, mastodon.id);
    assert.equal((await storedActor(ctx, mastodon.id))?.uri, mastodon.id);
    assert.equal(await storedActor(ctx, gotosocial.id), null);
    assert.equal(net.requests.length, 1);
  });

  it("leaves a stale record for resolveActor to fetch again", async () => {
    const { net, ctx, advance } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveActor(ctx, mastodon.id);
    forgetCachedActor(ctx, mastodon.id);
    advance(ctx.config.actorStaleAfterMs + 1);
    net.serveJson(mastodon.id, { ...mastodon, name: "Alice in Wonderland" });
    assert.equal((await storedActor(ctx, mastodon.id))?.name, "Alice Liddell");
    const result = await resolveActor(ctx, mastodon.id);
    assert.equal(result.ok && result.actor.name, "Alice in Wonderland");
    assert.equal(net.requestsTo(mastodon.id).length, 2);
  });

  it("sees a pushed update and a deletion", async () => {
    const { net, ctx } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveActor(ctx, mastodon.id);
    assert.equal((await storedActor(ctx, mastodon.id))?.followersUri, mastodon.followers);
    await refreshActorFromDocument(ctx, { ...mastodon, followers: `${mastodon.id}/followers-moved` });
    assert.equal((await storedActor(ctx, mastodon.id))?.followersUri, `${mastodon.id}/followers-moved`);
    await ctx.store.actors.markDeleted(mastodon.id, ctx.now().toISOString());
    forgetCachedActor(ctx, mastodon.id);
    assert.notEqual((await storedActor(ctx, mastodon.id))?.deletedAt, null);
  });
});

describe("refreshActorFromDocument", () => {
  it("stores a pushed actor document", async () => {
    const { net, ctx } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveActor(ctx, mastodon.id);
    const result = await refreshActorFromDocument(ctx, { ...mastodon, name: "Alice (updated)" });
    assert.equal(result.ok && result.actor.name, "Alice (updated)");
    const again = await resolveActor(ctx, mastodon.id);
    assert.equal(again.ok && again.actor.name, "Alice (updated)");
    assert.equal(net.requests.length, 1);
  });

  it("refuses a document claiming to be a local actor", async () => {
    const { ctx } = await setup();
    const result = await refreshActorFromDocument(ctx, { ...mastodon, id: ctx.uris.actor("admin"), inbox: ctx.uris.inbox("admin") });
    assert.equal(result.ok === false && result.reason, "local");
  });
});

describe("resolveKey", () => {
  it("fetches the actor of an unknown key and remembers the key", async () => {
    const { net, ctx } = await setup();
    net.serveJson(mastodon.id, mastodon);
    const key = await resolveKey(ctx, mastodon.publicKey.id, { refresh: false });
    assert.deepEqual(key, { publicKeyPem: mastodon.publicKey.publicKeyPem, ownerUri: mastodon.id });
    await resolveKey(ctx, mastodon.publicKey.id, { refresh: false });
    assert.equal(net.requests.length, 1);
  });

  it("follows a key rotation when asked to refresh, but not more than once a minute", async () => {
    const { net, ctx, advance } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveKey(ctx, mastodon.publicKey.id, { refresh: false });
    const rotated = { ...mastodon, publicKey: { ...mastodon.publicKey, publicKeyPem: pem("remote-alice-public") } };
    net.serveJson(mastodon.id, rotated);

    advance(10_000);
    const throttled = await resolveKey(ctx, mastodon.publicKey.id, { refresh: true });
    assert.equal(throttled?.publicKeyPem, mastodon.publicKey.publicKeyPem);
    assert.equal(net.requests.length, 1);

    advance(2 * 60_000);
    const refreshed = await resolveKey(ctx, mastodon.publicKey.id, { refresh: true });
    assert.equal(refreshed?.publicKeyPem, pem("remote-alice-public"));
    const cached = await resolveKey(ctx, mastodon.publicKey.id, { refresh: false });
    assert.equal(cached?.publicKeyPem, pem("remote-alice-public"));
  });

  it("drops a key the actor no longer lists", async () => {
    const { net, ctx, advance } = await setup();
    net.serveJson(mastodon.id, mastodon);
    await resolveKey(ctx, mastodon.publicKey.id, { refresh: false });
    const newKeyId = `${mastodon.id}#key-2`;
    net.serveJson(mastodon.id, { ...mastodon, publicKey: { id: newKeyId, owner: mastodon.id, publicKeyPem: pem("remote-alice-public") } });
    advance(ctx.config.actorStaleAfterMs + 1);
    await resolveActor(ctx, mastodon.id);
    assert.equal(await ctx.store.keys.get(mastodon.publicKey.id), null);
    assert.equal((await resolveKey(ctx, newKeyId, { refresh: false }))?.ownerUri, mastodon.id);
  });

  it("accepts a standalone key document when its owner lists the key", async () => {
    const { net, ctx } = await setup();
    const keyId = gotosocial.publicKey.id;
    net.serveJson(keyId, { "@context": "https://w3id.org/security/v1", ...gotosocial.publicKey });
    net.serveJson(gotosocial.id, gotosocial);
    const key = await resolveKey(ctx, keyId, { refresh: false });
    assert.deepEqual(key, { publicKeyPem: gotosocial.publicKey.publicKeyPem, ownerUri: gotosocial.id });
  });

  it("accepts a key its owner lists only by reference", async () => {
    const { net, ctx } = await setup();
    const keyId = "https://gts.example/users/1happyturtle/main-key";
    net.serveJson(keyId, { id: keyId, owner: gotosocial.id, publicKeyPem: pem("remote-alice-public") });
    net.serveJson(gotosocial.id, { ...gotosocial, publicKey: keyId });
    const key = await resolveKey(ctx, keyId, { refresh: false });
    assert.deepEqual(key, { publicKeyPem: pem("remote-alice-public"), ownerUri: gotosocial.id });
  });

  it("refuses a key document whose owner does not list the key", async () => {
    const { net, ctx } = await setup();
    const keyId = "https://gts.example/users/mallory/main-key";
    net.serveJson(keyId, { id: keyId, owner: gotosocial.id, publicKeyPem: pem("remote-mallory-public") });
    net.serveJson(gotosocial.id, gotosocial);
    assert.equal(await resolveKey(ctx, keyId, { refresh: false }), null);
    assert.equal(await ctx.store.keys.get(keyId), null);
  });

  it("refuses a key document naming an owner on another origin", async () => {
    const { net, ctx } = await setup();
    const keyId = "https://evil.example/keys/1";
    net.serveJson(keyId, { id: keyId, owner: mastodon.id, publicKeyPem: pem("remote-mallory-public") });
    net.serveJson(mastodon.id, { ...mastodon, publicKey: [mastodon.publicKey, keyId] });
    assert.equal(await resolveKey(ctx, keyId, { refresh: false }), null);
  });

  it("returns null for a key nobody serves", async () => {
    const { ctx } = await setup();
    assert.equal(await resolveKey(ctx, "https://remote.example/users/ghost#main-key", { refresh: false }), null);
    assert.equal(await resolveKey(ctx, "not a uri", { refresh: false }), null);
  });

  it("knows the keys of local actors without fetching", async () => {
    const { net, ctx } = await setup();
    const created = await createLocalActor(ctx, { username: "alice" });
    assert.ok(created.ok);
    const key = await resolveKey(ctx, ctx.uris.key("alice"), { refresh: false });
    assert.equal(key?.ownerUri, created.actor.uri);
    const instance = await resolveKey(ctx, ctx.uris.instanceKey(), { refresh: false });
    assert.equal(instance?.ownerUri, ctx.uris.instanceActor());
    assert.equal(net.requests.length, 0);
  });
});
