import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Hono } from "hono";
import { sqlAccountStoreOf } from "../../store/sql-account-store.ts";
import { createTestContext } from "../../../test/support/federation-context.ts";
import type { AppEnv } from "../app-env.ts";
import { createHttpTestServer, seedLocalActor, type HttpTestServer } from "../http.test-support.ts";
import { clientApiRoutes } from "./client-api-routes.ts";
import { mountClientApiRoutes } from "./mount.ts";

describe("the client API's routes", () => {
  for (const prefix of ["", "/activitypub"]) {
    it(`are all reached by a request that loads the client API (prefix "${prefix}")`, async () => {
      const ctx = await createTestContext({ prefix });
      try {
        const accounts = sqlAccountStoreOf(ctx.store);
        assert.ok(accounts !== null);
        const clientApi = new Hono<AppEnv>();
        mountClientApiRoutes(clientApi, { ctx, accounts, registrationLimit: false });
        const probe = new Hono<AppEnv>();
        for (const route of clientApiRoutes(prefix)) probe.on([...route.methods], route.path, (c) => c.text("loads"));
        const registered = clientApi.routes.filter((route) => route.method !== "ALL");
        assert.ok(registered.length > 10);
        for (const route of registered) {
          const path = route.path.replace(/:[A-Za-z]+(\{[^}]*\})?/g, "x").replace(/\*/g, "x");
          const response = await probe.request(path, { method: route.method });
          assert.equal(await response.text(), "loads", `${route.method} ${route.path}`);
        }
      } finally {
        await ctx.store.close();
      }
    });
  }
});

describe("the client API loaded on demand", () => {
  let server: HttpTestServer;
  before(async () => {
    server = await createHttpTestServer();
    await seedLocalActor(server.ctx, { username: "alice" });
  });
  after(() => server.close());

  it("answers its own routes", async () => {
    const metadata = await server.request("/.well-known/oauth-authorization-server");
    assert.equal(metadata.status, 200);
    assert.match(String(((await metadata.json()) as { token_endpoint: string }).token_endpoint), /\/oauth\/token$/);
    const actors = await server.request("/api/actors");
    assert.equal(actors.status, 401);
    assert.equal(actors.headers.get("access-control-allow-origin"), "*");
  });

  it("passes on what it does not answer, with CORS on its paths", async () => {
    const outbox = await server.request("/users/alice/outbox", { headers: { accept: "application/activity+json", origin: "https://app.example" } });
    assert.equal(outbox.status, 200);
    assert.equal(((await outbox.json()) as { type: string }).type, "OrderedCollection");
    assert.equal(outbox.headers.get("access-control-allow-origin"), "*");
    const preflight = await server.request("/users/alice/outbox", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 204);
    assert.equal((await server.request("/api/nothing-here")).status, 404);
  });
});
