import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { openTestStore, type TestStore } from "../test/support/test-store.ts";
import { createLocalActor } from "./federation/actors/local-actors.ts";
import { createFakeNetwork, type FakeNetwork } from "./federation/fetch/fake-network.test-support.ts";
import { currentSigningPool } from "./federation/signing/signing-pool.ts";
import { serveRemoteActor, signedRequest } from "./http/http.test-support.ts";
import { createOutpost, type Outpost } from "./outpost.ts";

const ORIGIN = "https://outpost.test";
const silent = pino({ level: "silent" });

describe("createOutpost", () => {
  let outpost: Outpost;
  let network: FakeNetwork;

  before(async () => {
    network = createFakeNetwork();
    outpost = await createOutpost({
      origin: ORIGIN,
      store: await openTestStore(),
      logger: silent,
      fetch: network.fetch,
      config: { allowPrivateAddresses: true },
      rateLimits: false,
    });
  });
  after(async () => {
    await outpost.stop();
    await outpost.store.close();
  });

  it("makes the instance actor beside the start and serves it once made", async () => {
    const response = await outpost.handle(new Request(`${ORIGIN}/actor`, { headers: { accept: "application/activity+json" } }));
    assert.equal(response.status, 200);
    const document = (await response.json()) as { type?: string; publicKey?: { publicKeyPem?: string } };
    assert.equal(document.type, "Application");
    assert.match(document.publicKey?.publicKeyPem ?? "", /BEGIN PUBLIC KEY/);
    assert.equal((await outpost.store.actors.get(`${ORIGIN}/actor`))?.type, "Application");
  });

  it("answers its own routes and leaves others to the host application", async () => {
    const nodeinfo = await outpost.fetch(new Request(`${ORIGIN}/.well-known/nodeinfo`));
    assert.equal(nodeinfo?.status, 200);
    assert.equal(await outpost.fetch(new Request(`${ORIGIN}/blog/hello`)), undefined);
    assert.equal(await outpost.fetch(new Request(`${ORIGIN}/users/nobody/somewhere/else`)), undefined);
    assert.equal(await outpost.fetch(new Request(`${ORIGIN}/blog/hello`, { method: "HEAD" })), undefined);
    // A route of Outpost's answering 404 is still Outpost's answer.
    const missing = await outpost.fetch(new Request(`${ORIGIN}/users/nobody`));
    assert.equal(missing?.status, 404);
  });

  it("answers other requests with 404 from handle", async () => {
    const response = await outpost.handle(new Request(`${ORIGIN}/blog/hello`));
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: "not found" });
    assert.equal(response.headers.get("x-outpost-unmatched"), null);
  });

  it("takes a follow through the inbox and the worker to an Accept delivered back", async () => {
    const created = await createLocalActor(outpost.ctx, { username: "alice" });
    assert.ok(created.ok);
    const alice = created.actor;
    const bob = serveRemoteActor({ network, username: "bob" });
    const delivered: string[] = [];
    network.route(`https://mastodon.example/inbox`, (request) => {
      delivered.push(request.body);
      return new Response(null, { status: 202 });
    });
    network.route(`${bob.uri}/inbox`, (request) => {
      delivered.push(request.body);
      return new Response(null, { status: 202 });
    });
    const follow = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${bob.uri}#follows/1`,
      type: "Follow",
      actor: bob.uri,
      object: alice.uri,
    };
    const response = await outpost.handle(
      signedRequest({
        url: `${ORIGIN}/users/alice/inbox`,
        signer: bob,
        method: "POST",
        body: JSON.stringify(follow),
        contentType: "application/activity+json",
      }),
    );
    assert.equal(response.status, 202);
    await outpost.runJobsUntilIdle();
    const record = await outpost.store.follows.get(bob.uri, alice.uri);
    assert.equal(record?.state, "accepted");
    assert.equal(delivered.length, 1);
    const accept = JSON.parse(delivered[0]!) as { type: string; object: unknown };
    assert.equal(accept.type, "Accept");
    const followers = await outpost.handle(
      new Request(`${ORIGIN}/users/alice/followers?page=true`, { headers: { accept: "application/activity+json" } }),
    );
    assert.deepEqual(((await followers.json()) as { orderedItems: string[] }).orderedItems, [bob.uri]);
  });

  it("starts and stops its workers", async () => {
    await outpost.start();
    await outpost.stop();
    await assert.rejects(outpost.start(), /stopped/);
    // A store passed in belongs to the caller and stays open.
    assert.ok((await outpost.store.actors.get(`${ORIGIN}/actor`)) !== null);
  });
});

describe("createOutpost with its own store", () => {
  it("opens the store from databaseUrl and closes it on stop", async () => {
    const outpost = await createOutpost({ origin: ORIGIN, databaseUrl: ":memory:", logger: silent, workers: "none" });
    await outpost.start();
    assert.equal((await outpost.handle(new Request(`${ORIGIN}/.well-known/nodeinfo`))).status, 200);
    await outpost.stop();
    await assert.rejects(outpost.store.actors.get(`${ORIGIN}/actor`));
  });

  it("finishes the instance actor, made beside the start, before stop returns", async () => {
    const store = await openTestStore();
    try {
      const outpost = await createOutpost({ origin: ORIGIN, store, logger: silent, workers: "none" });
      // Stopped at once: a store its caller closes next must not have the actor still being written.
      await outpost.stop();
      assert.equal((await store.actors.get(`${ORIGIN}/actor`))?.type, "Application");
    } finally {
      await store.close();
    }
  });

  it("holds the process's signing threads while it lives and lets them go on stop", async () => {
    const outpost = await createOutpost({ origin: ORIGIN, databaseUrl: ":memory:", logger: silent, workers: "none" });
    const pool = currentSigningPool();
    assert.ok(pool !== undefined);
    await outpost.stop();
    // No other Outpost of this test file is alive now, so the pool is closed.
    assert.notEqual(currentSigningPool(), pool);
  });

  it("serves ActivityPub routes under a prefix", async () => {
    const outpost = await createOutpost({ origin: ORIGIN, prefix: "/ap", databaseUrl: ":memory:", logger: silent });
    try {
      const actor = await outpost.handle(new Request(`${ORIGIN}/ap/actor`, { headers: { accept: "application/activity+json" } }));
      assert.equal(actor.status, 200);
      assert.equal(((await actor.json()) as { id: string }).id, `${ORIGIN}/ap/actor`);
      assert.equal(await outpost.fetch(new Request(`${ORIGIN}/actor`)), undefined);
    } finally {
      await outpost.stop();
    }
  });
});

describe("createOutpost with chat posting", () => {
  let outpost: Outpost;
  let store: TestStore;
  const secret = "a-secret-for-scripts-only";

  before(async () => {
    store = await openTestStore();
    outpost = await createOutpost({
      origin: ORIGIN,
      store,
      logger: silent,
      workers: "none",
      actor: { username: "news" },
      chatPost: { actor: "news", bearerSecret: secret },
    });
  });
  // A store handed in stays open when Outpost stops; closing it drops its PostgreSQL schema.
  after(async () => {
    await outpost.stop();
    await store.close();
  });

  const post = (authorization: string, text: string) =>
    outpost.handle(
      new Request(`${ORIGIN}/api/chat/post`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify({ text }),
      }),
    );

  it("posts as the configured account for a script holding the secret", async () => {
    const response = await post(`Bearer ${secret}`, "Version 2 is out");
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { response_type: string; text: string };
    assert.equal(answer.response_type, "in_channel");
    const url = /https?:\/\/\S+/.exec(answer.text)?.[0];
    assert.ok(url !== undefined, answer.text);
    const object = await outpost.store.objects.get(url);
    assert.equal(object?.attributedTo, `${ORIGIN}/users/news`);
    assert.match(String(object?.document.content), /Version 2 is out/);
  });

  it("refuses a wrong secret without posting", async () => {
    const response = await post("Bearer not-the-secret", "spam");
    assert.equal(response.status, 401);
  });
});
