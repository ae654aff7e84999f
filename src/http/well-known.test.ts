import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestContext } from "../../test/support/federation-context.ts";
import type { TestStore } from "../../test/support/test-store.ts";
import { updateProfile } from "../federation/outbox/actions/update-profile.ts";
import { createSqlStore, type SqlStore } from "../store/sql-store.ts";
import { createHttpApp } from "./app.ts";
import { createHttpTestServer, ORIGIN, seedLocalActor, seedPost, type HttpTestServer } from "./http.test-support.ts";

describe("WebFinger", () => {
  let server: HttpTestServer;
  before(async () => {
    server = await createHttpTestServer();
    await seedLocalActor(server.ctx, { username: "alice", name: "Alice" });
  });
  after(() => server.close());

  const finger = (resource: string | undefined) =>
    server.request(
      resource === undefined ? "/.well-known/webfinger" : `/.well-known/webfinger?resource=${encodeURIComponent(resource)}`,
    );

  it("finds an account by acct:, case-insensitively, with actor and profile links", async () => {
    const response = await finger("acct:ALICE@outpost.test");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/jrd\+json/);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    const jrd = (await response.json()) as { subject: string; aliases: string[]; links: Record<string, string>[] };
    assert.equal(jrd.subject, "acct:alice@outpost.test");
    assert.deepEqual(jrd.aliases, [`${ORIGIN}/users/alice`, `${ORIGIN}/@alice`]);
    const self = jrd.links.find((link) => link.rel === "self");
    assert.deepEqual(self, { rel: "self", type: "application/activity+json", href: `${ORIGIN}/users/alice` });
    const profile = jrd.links.find((link) => link.rel === "http://webfinger.net/rel/profile-page");
    assert.equal(profile?.href, `${ORIGIN}/@alice`);
    const subscribe = jrd.links.find((link) => link.rel === "http://ostatus.org/schema/1.0/subscribe");
    assert.equal(subscribe?.template, `${ORIGIN}/authorize_interaction?uri={uri}`);
  });

  it("finds an account by its actor URL and by its profile page URL", async () => {
    for (const resource of [`${ORIGIN}/users/alice`, `${ORIGIN}/@alice`]) {
      const response = await finger(resource);
      assert.equal(response.status, 200, resource);
      const jrd = (await response.json()) as { subject: string };
      assert.equal(jrd.subject, "acct:alice@outpost.test");
    }
  });

  it("finds the instance actor as host@host", async () => {
    const response = await finger("acct:outpost.test@outpost.test");
    assert.equal(response.status, 200);
    const jrd = (await response.json()) as { subject: string; links: Record<string, string>[] };
    assert.equal(jrd.subject, "acct:outpost.test@outpost.test");
    assert.equal(jrd.links.find((link) => link.rel === "self")?.href, `${ORIGIN}/actor`);
  });

  it("answers 400 for a missing or malformed resource", async () => {
    for (const resource of [undefined, "", "acct:", "mailto:alice@outpost.test", "acct:a@b@c"]) {
      const response = await finger(resource);
      assert.equal(response.status, 400, String(resource));
      assert.equal(typeof ((await response.json()) as { error: unknown }).error, "string");
    }
  });

  it("answers 404 for unknown users, foreign hosts and URLs that are no actor", async () => {
    for (const resource of [
      "acct:bob@outpost.test",
      "acct:alice@elsewhere.example",
      "https://elsewhere.example/users/alice",
      `${ORIGIN}/users/alice/outbox`,
    ]) {
      const response = await finger(resource);
      assert.equal(response.status, 404, resource);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
    }
  });
});

describe("WebFinger answer cache", () => {
  let server: HttpTestServer;
  before(async () => {
    server = await createHttpTestServer();
  });
  after(() => server.close());

  const finger = (resource: string) => server.request(`/.well-known/webfinger?resource=${encodeURIComponent(resource)}`);

  it("stops finding an account as soon as it is deleted", async () => {
    const actor = await seedLocalActor(server.ctx, { username: "brief" });
    assert.equal((await finger("acct:brief@outpost.test")).status, 200);
    assert.equal((await finger("acct:brief@outpost.test")).status, 200);
    await server.ctx.store.actors.markDeleted(actor.uri, new Date().toISOString());
    const response = await finger("acct:brief@outpost.test");
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
  });

  it("follows a rename made behind the repositories' back", async () => {
    await seedLocalActor(server.ctx, { username: "before" });
    const first = await finger("acct:before@outpost.test");
    assert.equal(((await first.json()) as { subject: string }).subject, "acct:before@outpost.test");
    await (server.ctx.store as TestStore).db
      .updateTable("actors")
      .set({ username: "after", username_lower: "after" })
      .where("uri", "=", `${ORIGIN}/users/before`)
      .execute();
    assert.equal((await finger("acct:before@outpost.test")).status, 404);
    assert.equal(((await (await finger("acct:after@outpost.test")).json()) as { subject: string }).subject, "acct:after@outpost.test");
  });

  it("answers If-None-Match with 304", async () => {
    await seedLocalActor(server.ctx, { username: "tagged" });
    const etag = (await finger("acct:tagged@outpost.test")).headers.get("etag");
    assert.ok(etag !== null);
    const response = await server.request(`/.well-known/webfinger?resource=acct:tagged@outpost.test`, {
      headers: { "if-none-match": etag },
    });
    assert.equal(response.status, 304);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
  });
});

describe("document caches of two processes sharing a database", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "outpost-shared-"));
  const stores: SqlStore[] = [];
  after(async () => {
    for (const store of stores) await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("shows one process's change in the other's answers at once", async () => {
    // Two stores on one SQLite file are two connections, as two processes would have.
    const open = async () => {
      const store = await createSqlStore({ dataDir });
      stores.push(store);
      const ctx = await createTestContext({ store, origin: ORIGIN });
      return { ctx, app: createHttpApp({ ctx, rateLimits: false }) };
    };
    const web = await open();
    const other = await open();
    await seedLocalActor(other.ctx, { username: "shared", name: "One" });
    const read = async () => {
      const response = await web.app.request(`${ORIGIN}/users/shared`, { headers: { accept: "application/activity+json" } });
      return ((await response.json()) as { name?: string }).name;
    };
    const finger = async () => (await web.app.request(`${ORIGIN}/.well-known/webfinger?resource=acct:shared@outpost.test`)).status;
    assert.equal(await read(), "One");
    assert.equal(await read(), "One");
    assert.equal(await finger(), 200);
    const actor = await other.ctx.store.actors.getLocal("shared");
    const updated = await updateProfile(other.ctx, { actor: actor!, changes: { name: "Two" } });
    assert.ok(updated.ok);
    assert.equal(await read(), "Two");
    await other.ctx.store.actors.markDeleted(actor!.uri, new Date().toISOString());
    assert.equal(await finger(), 404);
  });
});

describe("host-meta", () => {
  let server: HttpTestServer;
  before(async () => {
    server = await createHttpTestServer();
  });
  after(() => server.close());

  it("serves XRD pointing at WebFinger", async () => {
    const response = await server.request("/.well-known/host-meta");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/xrd\+xml/);
    const xml = await response.text();
    assert.match(xml, /<XRD xmlns="http:\/\/docs.oasis-open.org\/ns\/xri\/xrd-1.0">/);
    assert.ok(xml.includes(`template="${ORIGIN}/.well-known/webfinger?resource={uri}"`));
  });

  it("serves the JSON form", async () => {
    const response = await server.request("/.well-known/host-meta.json");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      links: [{ rel: "lrdd", template: `${ORIGIN}/.well-known/webfinger?resource={uri}` }],
    });
  });
});

describe("NodeInfo", () => {
  let server: HttpTestServer;
  before(async () => {
    server = await createHttpTestServer();
  });
  after(() => server.close());

  interface NodeInfo {
    version: string;
    software: { name: string; version: string };
    protocols: string[];
    openRegistrations: boolean;
    usage: { users: { total: number }; localPosts: number };
    metadata: { nodeName: string };
  }

  it("links to both schema versions", async () => {
    const response = await server.request("/.well-known/nodeinfo");
    assert.equal(response.status, 200);
    const discovery = (await response.json()) as { links: { rel: string; href: string }[] };
    assert.deepEqual(discovery.links.map((link) => link.href).sort(), [`${ORIGIN}/nodeinfo/2.0`, `${ORIGIN}/nodeinfo/2.1`]);
  });

  it("counts users and posts as they are created", async () => {
    const read = async (version: string) => {
      const response = await server.request(`/nodeinfo/${version}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json; profile=/);
      return (await response.json()) as NodeInfo;
    };
    const beforeInfo = await read("2.1");
    assert.equal(beforeInfo.version, "2.1");
    assert.equal(beforeInfo.software.name, "outpost");
    assert.deepEqual(beforeInfo.protocols, ["activitypub"]);
    assert.equal(beforeInfo.openRegistrations, false);
    assert.equal(beforeInfo.metadata.nodeName, "outpost.test");

    const actor = await seedLocalActor(server.ctx, { username: "carol" });
    await seedPost(server.ctx, { author: actor, content: "<p>one</p>" });
    await seedPost(server.ctx, { author: actor, content: "<p>two</p>" });

    for (const version of ["2.0", "2.1"]) {
      const afterInfo = await read(version);
      assert.equal(afterInfo.version, version);
      assert.equal(afterInfo.usage.users.total, beforeInfo.usage.users.total + 1);
      assert.equal(afterInfo.usage.localPosts, beforeInfo.usage.localPosts + 2);
    }
  });
});
