import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ActorRecord } from "../store/records.ts";
import {
  createHttpTestServer,
  ORIGIN,
  seedLocalActor,
  serveRemoteActor,
  signedRequest,
  type HttpTestServer,
  type RemoteTestActor,
} from "./http.test-support.ts";

function followActivity(sender: RemoteTestActor, target: ActorRecord, n: number): string {
  return JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${sender.uri}#follows/${n}`,
    type: "Follow",
    actor: sender.uri,
    object: target.uri,
  });
}

describe("inbox routes", () => {
  let server: HttpTestServer;
  let alice: ActorRecord;
  let bob: RemoteTestActor;

  before(async () => {
    server = await createHttpTestServer({ context: { config: { maxInboxBytes: 2048 } } });
    alice = await seedLocalActor(server.ctx, { username: "alice" });
    bob = serveRemoteActor({ network: server.network, username: "bob" });
  });
  after(() => server.close());

  const deliver = (path: string, body: string, signer: RemoteTestActor = bob) =>
    server.app.fetch(
      signedRequest({ url: `${ORIGIN}${path}`, signer, method: "POST", body, contentType: "application/activity+json" }),
    );

  it("accepts a signed delivery with 202 and queues it", async () => {
    const response = await deliver("/users/alice/inbox", followActivity(bob, alice, 1));
    assert.equal(response.status, 202);
    assert.equal(await response.text(), "");
    assert.equal((await server.ctx.store.jobs.counts()).pending, 1);
    assert.ok(server.ctx.queuedNotifications.includes("inbox"));
  });

  it("accepts deliveries to the shared inbox and answers a redelivery as accepted", async () => {
    const body = followActivity(bob, alice, 2);
    assert.equal((await deliver("/inbox", body)).status, 202);
    assert.equal((await deliver("/inbox", body)).status, 202);
    assert.equal((await server.ctx.store.jobs.counts()).pending, 2);
  });

  it("refuses an unsigned delivery with 401", async () => {
    const response = await server.request("/users/alice/inbox", {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: followActivity(bob, alice, 3),
    });
    assert.equal(response.status, 401);
    assert.equal(typeof ((await response.json()) as { error: unknown }).error, "string");
  });

  it("refuses a body over the cap with 413, by declared length or by what arrives", async () => {
    const big = JSON.stringify({ padding: "x".repeat(4096) });
    const declared = await server.request("/users/alice/inbox", {
      method: "POST",
      headers: { "content-type": "application/activity+json", "content-length": String(big.length) },
      body: big,
    });
    assert.equal(declared.status, 413);

    const chunk = new TextEncoder().encode("x".repeat(1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (sent++ < 1000) controller.enqueue(chunk);
          else controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const streamed = await server.app.fetch(
      new Request(`${ORIGIN}/users/alice/inbox`, {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    assert.equal(streamed.status, 413);
    assert.ok(sent < 10, `read ${sent} of 1000 chunks`);
  });

  it("answers 404 for a personal inbox of nobody", async () => {
    const response = await deliver("/users/nobody/inbox", followActivity(bob, alice, 4));
    assert.equal(response.status, 404);
  });

  it("answers GET on the shared inbox with 401 and a Bearer challenge", async () => {
    const response = await server.request("/inbox");
    assert.equal(response.status, 401);
    assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer/);
    assert.match(((await response.json()) as { error: string }).error, /token/);
  });

  it("shows an anonymous reader of a personal inbox only its public items", async () => {
    const received = (id: string, visibility: "public" | "direct") => ({
      uri: `${bob.uri}/activities/${id}`,
      type: "Create",
      actorUri: bob.uri,
      objectUri: `${bob.uri}/notes/${id}`,
      targetUri: null,
      local: false,
      visibility,
      recipients: [alice.uri],
      document: { id: `${bob.uri}/activities/${id}`, type: "Create", actor: bob.uri, object: `${bob.uri}/notes/${id}` },
      published: new Date().toISOString(),
    });
    for (const activity of [received("open", "public"), received("secret", "direct")]) {
      await server.ctx.store.activities.add(activity);
      await server.ctx.store.inbox.add(activity.uri, [alice.uri], activity.published);
    }
    const response = await server.request("/users/alice/inbox?page=true", { headers: { accept: "application/activity+json" } });
    assert.equal(response.status, 200);
    const page = (await response.json()) as { type: string; orderedItems: ({ id: string } | string)[] };
    assert.equal(page.type, "OrderedCollectionPage");
    const ids = page.orderedItems.map((item) => (typeof item === "string" ? item : item.id));
    assert.deepEqual(ids, [`${bob.uri}/activities/open`]);
  });
});
