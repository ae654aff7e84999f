import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createHttpTestServer } from "../http.test-support.ts";

describe("rate limits", () => {
  it("answers 429 with Retry-After once a client's inbox bucket is empty", async () => {
    const server = await createHttpTestServer({ rateLimits: { inbox: { perMinute: 60, burst: 2 } } });
    try {
      const post = () => server.request("/inbox", { method: "POST", headers: { "content-type": "application/activity+json" }, body: "{}" });
      assert.notEqual((await post()).status, 429);
      assert.notEqual((await post()).status, 429);
      const limited = await post();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get("retry-after"), "1");
      // Only inbox POSTs count against the inbox limit.
      assert.equal((await server.request("/.well-known/host-meta")).status, 200);
    } finally {
      await server.close();
    }
  });

  it("limits WebFinger per client, telling clients apart by X-Forwarded-For behind a proxy", async () => {
    const server = await createHttpTestServer({ rateLimits: { webfinger: { perMinute: 1, burst: 1 } }, trustProxy: true });
    try {
      const finger = (ip: string) =>
        server.request("/.well-known/webfinger?resource=acct:x@outpost.test", { headers: { "x-forwarded-for": ip } });
      assert.equal((await finger("192.0.2.1")).status, 404);
      const limited = await finger("192.0.2.1");
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get("retry-after"), "60");
      assert.equal((await finger("192.0.2.2, 10.0.0.1")).status, 404, "another client has its own bucket");
    } finally {
      await server.close();
    }
  });

  it("ignores X-Forwarded-For unless a proxy is trusted", async () => {
    const server = await createHttpTestServer({ rateLimits: { webfinger: { perMinute: 1, burst: 1 } } });
    try {
      const finger = (ip: string) =>
        server.request("/.well-known/webfinger?resource=acct:x@outpost.test", { headers: { "x-forwarded-for": ip } });
      assert.equal((await finger("192.0.2.1")).status, 404);
      assert.equal((await finger("192.0.2.2")).status, 429);
    } finally {
      await server.close();
    }
  });
});
