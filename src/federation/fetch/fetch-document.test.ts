import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createTestContext } from "../../../test/support/federation-context.ts";
import { verifyRequest } from "../../crypto/verify-request.ts";
import { instanceActor } from "../actors/instance-actor.ts";
import { createFakeNetwork } from "./fake-network.test-support.ts";
import { fetchDocument } from "./fetch-document.ts";

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

async function setup() {
  const net = createFakeNetwork();
  const ctx = await createTestContext({ fetch: net.fetch });
  closers.push(() => ctx.store.close());
  return { net, ctx };
}

const note = { "@context": "https://www.w3.org/ns/activitystreams", id: "https://remote.example/notes/1", type: "Note", content: "hi" };

describe("fetchDocument", () => {
  for (const contentType of [
    "application/activity+json",
    "application/activity+json; charset=utf-8",
    'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
    "application/ld+json",
    "application/json",
  ]) {
    it(`accepts ${contentType}`, async () => {
      const { net, ctx } = await setup();
      net.serveJson(note.id, note, { contentType });
      const result = await fetchDocument(ctx, note.id);
      assert.equal(result.ok, true);
      assert.deepEqual(result.ok && result.document, note);
    });
  }

  it("asks for ActivityStreams JSON", async () => {
    const { net, ctx } = await setup();
    net.serveJson(note.id, note);
    await fetchDocument(ctx, note.id);
    assert.match(net.requests[0]!.headers.get("accept") ?? "", /application\/activity\+json/);
    assert.match(net.requests[0]!.headers.get("accept") ?? "", /application\/ld\+json; profile="https:\/\/www.w3.org\/ns\/activitystreams"/);
  });

  it("refuses an HTML page", async () => {
    const { net, ctx } = await setup();
    net.route(note.id, () => new Response("<html></html>", { headers: { "content-type": "text/html; charset=utf-8" } }));
    const result = await fetchDocument(ctx, note.id);
    assert.equal(result.ok === false && result.reason, "badContentType");
  });

  it("refuses a body that is not a JSON object", async () => {
    const { net, ctx } = await setup();
    net.route(note.id, () => new Response("{oops", { headers: { "content-type": "application/activity+json" } }));
    const broken = await fetchDocument(ctx, note.id);
    assert.equal(broken.ok === false && broken.reason, "notJson");
    net.route(note.id, () => new Response("[1,2]", { headers: { "content-type": "application/activity+json" } }));
    const array = await fetchDocument(ctx, note.id);
    assert.equal(array.ok === false && array.reason, "notJson");
  });

  it("refuses a document claiming an id on another origin", async () => {
    const { net, ctx } = await setup();
    net.serveJson("https://evil.example/notes/1", { ...note, id: "https://victim.example/notes/1" });
    const result = await fetchDocument(ctx, "https://evil.example/notes/1");
    assert.equal(result.ok === false && result.reason, "idMismatch");
  });

  it("refuses a document without an id", async () => {
    const { net, ctx } = await setup();
    net.serveJson(note.id, { type: "Note", content: "anonymous" });
    const result = await fetchDocument(ctx, note.id);
    assert.equal(result.ok === false && result.reason, "idMismatch");
  });

  it("accepts a canonical id on the same origin, and an id on the origin a redirect led to", async () => {
    const { net, ctx } = await setup();
    net.serveJson("https://remote.example/@bob/1", note);
    const canonical = await fetchDocument(ctx, "https://remote.example/@bob/1");
    assert.equal(canonical.ok && canonical.document.id, note.id);

    net.route("https://old.example/notes/1", () => new Response(null, { status: 301, headers: { location: note.id } }));
    net.serveJson(note.id, note);
    const moved = await fetchDocument(ctx, "https://old.example/notes/1");
    assert.equal(moved.ok && moved.url, note.id);
  });

  it("tells gone from missing from failing", async () => {
    const { net, ctx } = await setup();
    net.route("https://remote.example/gone", () => new Response("", { status: 410 }));
    net.route("https://remote.example/broken", () => new Response("", { status: 502 }));
    const gone = await fetchDocument(ctx, "https://remote.example/gone");
    const missing = await fetchDocument(ctx, "https://remote.example/missing");
    const broken = await fetchDocument(ctx, "https://remote.example/broken");
    assert.equal(gone.ok === false && gone.reason, "gone");
    assert.equal(missing.ok === false && missing.reason, "notFound");
    assert.equal(broken.ok === false && broken.reason, "httpError");
    assert.equal(broken.ok === false && broken.status, 502);
  });

  it("signs the GET as the instance actor so that secure-mode servers answer", async () => {
    const { net, ctx } = await setup();
    net.serveJson(note.id, note);
    await fetchDocument(ctx, note.id);
    const request = net.requests[0]!;
    const signature = request.headers.get("signature") ?? "";
    assert.match(signature, /headers="\(request-target\) host date"/);
    const { key } = await instanceActor(ctx);
    const verified = await verifyRequest({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: null,
      now: ctx.now(),
      resolveKey: async (keyId) => (keyId === key.keyId ? { publicKeyPem: key.publicKeyPem, ownerUri: key.ownerUri } : null),
    });
    assert.equal(verified.ok, true);
    assert.equal(verified.ok && verified.ownerUri, ctx.uris.instanceActor());
  });

  it("sends an unsigned GET when asked to", async () => {
    const { net, ctx } = await setup();
    net.serveJson(note.id, note);
    await fetchDocument(ctx, note.id, { signed: false });
    assert.equal(net.requests[0]!.headers.get("signature"), null);
  });
});
