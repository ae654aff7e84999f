/**
 * What every framework adapter must do, checked over real HTTP on loopback:
 * discovery at the root with ActivityPub routes under a prefix, the host
 * application's own routes (GET, and POST with its body intact) reached
 * through the adapter, a signed inbox POST verified byte for byte, and
 * objects published under the site's URLs served to ActivityStreams
 * requests while browsers get the site's page.
 *
 * Each adapter's test builds a host app with these routes and mounts the
 * adapter: GET / answers "home"; POST /comments answers the JSON body it
 * parsed; GET /posts/:slug answers "<html>post</html>".
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { openTestStore } from "../../test/support/test-store.ts";
import { signRequest } from "../crypto/verify-request.ts";
import { createFakeNetwork, type FakeNetwork } from "../federation/fetch/fake-network.test-support.ts";
import { serveRemoteActor, type RemoteTestActor } from "../http/http.test-support.ts";
import { createOutpost, type Outpost } from "../outpost.ts";

/** A running host app with Outpost mounted. */
export interface AdapterWorld {
  readonly origin: string;
  readonly outpost: Outpost;
  readonly network: FakeNetwork;
  /** A remote Mastodon-shaped actor, served on the fake network, to sign as. */
  readonly bob: RemoteTestActor;
  /** Sends an inbox POST signed by bob, over HTTP. */
  postSigned(path: string, activity: Record<string, unknown>): Promise<Response>;
  close(): Promise<void>;
}

/** Mounts the host app (with the adapter) on the listening server. */
export type AttachApp = (params: { readonly server: Server; readonly outpost: Outpost }) => Promise<void> | void;

/** Parameters of {@link startAdapterWorld}. */
export interface StartAdapterWorldParams {
  readonly attach: AttachApp;
}

export const PREFIX = "/activitypub";

/**
 * Binds a loopback server first (Outpost must know its origin), then builds
 * the Outpost with the actor "blog" and ActivityPub routes under
 * {@link PREFIX}, then mounts the app.
 */
export async function startAdapterWorld(params: StartAdapterWorldParams): Promise<AdapterWorld> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const network = createFakeNetwork();
  const outpost = await createOutpost({
    origin,
    prefix: PREFIX,
    store: await openTestStore(),
    logger: pino({ level: process.env.OUTPOST_TEST_LOG ?? "silent" }),
    fetch: network.fetch,
    config: { allowPrivateAddresses: true },
    rateLimits: false,
    workers: "none",
    actor: { username: "blog" },
  });
  await params.attach({ server, outpost });
  const bob = serveRemoteActor({ network, username: "bob" });
  network.route("https://mastodon.example/inbox", () => new Response(null, { status: 202 }));
  network.route(`${bob.uri}/inbox`, () => new Response(null, { status: 202 }));
  return {
    origin,
    outpost,
    network,
    bob,
    async postSigned(path, activity) {
      const url = `${origin}${path}`;
      const body = new TextEncoder().encode(JSON.stringify(activity));
      const headers = signRequest({
        method: "POST",
        url,
        headers: new Headers({ "content-type": "application/activity+json", accept: "application/activity+json" }),
        body,
        keyId: bob.keyId,
        privateKey: bob.privateKeyPem,
      });
      return fetch(url, { method: "POST", headers, body });
    },
    async close() {
      await outpost.stop();
      await outpost.store.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const AP = { accept: "application/activity+json" };

/** Runs the checks every adapter must pass, as one describe block. */
export function describeAdapterContract(name: string, attach: AttachApp): void {
  describe(`${name} adapter`, () => {
    let world: AdapterWorld;
    before(async () => {
      world = await startAdapterWorld({ attach });
    });
    after(() => world.close());

    it("serves WebFinger and NodeInfo at the root and the actor under the prefix", async () => {
      const host = new URL(world.origin).host;
      const webfinger = await fetch(`${world.origin}/.well-known/webfinger?resource=${encodeURIComponent(`acct:blog@${host}`)}`);
      assert.equal(webfinger.status, 200);
      const jrd = (await webfinger.json()) as { links: { rel: string; href?: string }[] };
      const self = jrd.links.find((link) => link.rel === "self")?.href;
      assert.equal(self, `${world.origin}${PREFIX}/users/blog`);

      const actor = await fetch(self, { headers: AP });
      assert.equal(actor.status, 200);
      assert.equal(((await actor.json()) as Record<string, unknown>).inbox, `${world.origin}${PREFIX}/users/blog/inbox`);
      assert.equal((await fetch(`${world.origin}/.well-known/nodeinfo`)).status, 200);
    });

    it("leaves the site's own routes to the site, request bodies included", async () => {
      const home = await fetch(`${world.origin}/`);
      assert.equal(home.status, 200);
      assert.equal(await home.text(), "home");
      const comment = { author: "Ann", text: "Nice post ✓" };
      const posted = await fetch(`${world.origin}/comments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(comment),
      });
      assert.equal(posted.status, 200);
      assert.deepEqual(await posted.json(), comment);
      // Without the prefix, Outpost's paths are the site's.
      assert.notEqual((await fetch(`${world.origin}/users/blog`, { headers: AP })).status, 200);
    });

    it("verifies a signed inbox POST over its exact bytes", async () => {
      const follow = { "@context": "https://www.w3.org/ns/activitystreams", id: `${world.bob.uri}#follows/1`, type: "Follow", actor: world.bob.uri, object: `${world.origin}${PREFIX}/users/blog` };
      const response = await world.postSigned(`${PREFIX}/users/blog/inbox`, follow);
      assert.equal(response.status, 202, await response.text());
      await world.outpost.runJobsUntilIdle();
      assert.equal((await world.outpost.store.follows.get(world.bob.uri, `${world.origin}${PREFIX}/users/blog`))?.state, "accepted");

      const tampered = await fetch(`${world.origin}${PREFIX}/users/blog/inbox`, {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify(follow),
      });
      assert.equal(tampered.status, 401, "an unsigned POST is refused");
    });

    it("serves a post published under the site's URL to ActivityStreams requests and the site's page to browsers", async () => {
      const id = `${world.origin}/posts/hello`;
      const published = await world.outpost.publishObject({ id, type: "Article", name: "Hello", content: "<p>Hi</p>" });
      assert.ok(published.ok, published.ok ? "" : published.message);
      const json = await fetch(id, { headers: AP });
      assert.equal(json.status, 200);
      assert.equal(((await json.json()) as Record<string, unknown>).type, "Article");
      const page = await fetch(id, { headers: { accept: "text/html" } });
      assert.equal(await page.text(), "<html>post</html>");
    });
  });
}
