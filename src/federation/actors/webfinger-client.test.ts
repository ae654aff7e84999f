import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { createTestContext } from "../../../test/support/federation-context.ts";
import { createFakeNetwork } from "../fetch/fake-network.test-support.ts";
import { parseHandle, resolveHandle, WEBFINGER_CACHE_MS } from "./webfinger-client.ts";

const mastodon = JSON.parse(readFileSync(new URL("../../../test/fixtures/mastodon/actor.json", import.meta.url), "utf8"));
const WEBFINGER = "https://mastodon.example/.well-known/webfinger?resource=acct%3Aalice%40mastodon.example";

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

function jrd(subject: string, actorUri: string) {
  return {
    subject,
    aliases: [actorUri],
    links: [
      { rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: "https://mastodon.example/@alice" },
      { rel: "self", type: "application/activity+json", href: actorUri },
    ],
  };
}

async function setup(options: { allowPrivate?: boolean } = {}) {
  const net = createFakeNetwork();
  const clock = { now: new Date("2025-03-01T12:00:00Z") };
  const ctx = await createTestContext({
    fetch: net.fetch,
    now: () => clock.now,
    config: { allowPrivateAddresses: options.allowPrivate ?? true },
  });
  closers.push(() => ctx.store.close());
  return { net, ctx, clock };
}

describe("parseHandle", () => {
  const table: [string, string | null][] = [
    ["alice@mastodon.example", "alice@mastodon.example"],
    ["@Alice@Mastodon.Example", "alice@mastodon.example"],
    ["acct:alice@mastodon.example", "alice@mastodon.example"],
    ["bob@127.0.0.1:3000", "bob@127.0.0.1:3000"],
    ["alice", null],
    ["@alice@", null],
    ["alice@host/path", null],
    ["a b@host", null],
  ];
  for (const [input, acct] of table) {
    it(`reads ${JSON.stringify(input)} as ${acct ?? "no handle"}`, () => {
      assert.equal(parseHandle(input)?.acct ?? null, acct);
    });
  }
});

describe("resolveHandle", () => {
  it("finds the actor through WebFinger", async () => {
    const { net, ctx } = await setup();
    net.serveJson(WEBFINGER, jrd("acct:alice@mastodon.example", mastodon.id), { contentType: "application/jrd+json" });
    net.serveJson(mastodon.id, mastodon);
    const result = await resolveHandle(ctx, "@alice@mastodon.example");
    assert.equal(result.ok && result.actor.uri, mastodon.id);
    assert.deepEqual(net.requests.map((r) => r.url), [WEBFINGER, mastodon.id]);
  });

  it("reuses the answer for a day, whatever the handle's case", async () => {
    const { net, ctx, clock } = await setup();
    net.serveJson(WEBFINGER, jrd("acct:alice@mastodon.example", mastodon.id));
    net.serveJson(mastodon.id, mastodon);
    await resolveHandle(ctx, "alice@mastodon.example");
    const again = await resolveHandle(ctx, "ALICE@Mastodon.Example");
    assert.equal(again.ok && again.actor.uri, mastodon.id);
    assert.equal(net.requestsTo(WEBFINGER).length, 1);

    clock.now = new Date(clock.now.getTime() + WEBFINGER_CACHE_MS + 1);
    await resolveHandle(ctx, "alice@mastodon.example");
    assert.equal(net.requestsTo(WEBFINGER).length, 2);
  });

  it("reports an unknown account", async () => {
    const { ctx } = await setup();
    const result = await resolveHandle(ctx, "nobody@mastodon.example");
    assert.equal(result.ok === false && result.reason, "notFound");
  });

  it("reports a WebFinger answer without an ActivityPub actor", async () => {
    const { net, ctx } = await setup();
    net.serveJson(WEBFINGER, { subject: "acct:alice@mastodon.example", links: [] });
    const result = await resolveHandle(ctx, "alice@mastodon.example");
    assert.equal(result.ok === false && result.reason, "notFound");
  });

  it("refuses something that is not a handle without any request", async () => {
    const { net, ctx } = await setup();
    const result = await resolveHandle(ctx, "https://mastodon.example/@alice");
    assert.equal(result.ok === false && result.reason, "invalidUri");
    assert.equal(net.requests.length, 0);
  });

  it("asks a development server with a port over plain http when private addresses are allowed", async () => {
    const { net, ctx } = await setup({ allowPrivate: true });
    const actorUri = "http://127.0.0.1:3000/users/bob";
    net.serveJson("http://127.0.0.1:3000/.well-known/webfinger?resource=acct%3Abob%40127.0.0.1%3A3000", jrd("acct:bob@127.0.0.1:3000", actorUri));
    net.serveJson(actorUri, { ...mastodon, id: actorUri, inbox: `${actorUri}/inbox`, preferredUsername: "bob", publicKey: { ...mastodon.publicKey, id: `${actorUri}#main-key`, owner: actorUri } });
    const result = await resolveHandle(ctx, "bob@127.0.0.1:3000");
    assert.equal(result.ok && result.actor.uri, actorUri);
  });

  it("uses https for a host with a port when private addresses are not allowed", async () => {
    const { net, ctx } = await setup({ allowPrivate: false });
    const result = await resolveHandle(ctx, "bob@93.184.215.14:8443");
    assert.equal(result.ok, false);
    assert.equal(net.requests[0]?.url, "https://93.184.215.14:8443/.well-known/webfinger?resource=acct%3Abob%4093.184.215.14%3A8443");
  });
});
