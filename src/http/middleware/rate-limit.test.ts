import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openTestStore } from "../../../test/support/test-store.ts";
import { createSqlRateLimitCounter, type RateLimitCounter } from "../../store/rate-limit-repository.ts";
import type { RateLimitSettings } from "../app.ts";
import { createHttpTestServer } from "../http.test-support.ts";
import { rateLimitsForStore, withRateLimitCounter } from "./rate-limit.ts";

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

describe("rate limits shared by several web processes", () => {
  it("gives a client one budget across processes that keep their buckets in the same database", async () => {
    const database = await openTestStore();
    const counter = createSqlRateLimitCounter({ db: database.db });
    const limits = withRateLimitCounter<RateLimitSettings>({ settings: { inbox: { perMinute: 60, burst: 2 } }, counter, limits: ["inbox", "webfinger"] });
    const first = await createHttpTestServer({ rateLimits: limits });
    const second = await createHttpTestServer({ rateLimits: limits });
    try {
      const post = (server: typeof first) =>
        server.request("/inbox", { method: "POST", headers: { "content-type": "application/activity+json" }, body: "{}" });
      assert.notEqual((await post(first)).status, 429);
      assert.notEqual((await post(second)).status, 429);
      const limited = await post(first);
      assert.equal(limited.status, 429, "the third request is refused, whichever process answers it");
      assert.equal(limited.headers.get("retry-after"), "1");
      assert.equal((await post(second)).status, 429);
    } finally {
      await first.close();
      await second.close();
      await database.close();
    }
  });

  it("counts in the database for a PostgreSQL store, in memory otherwise", async () => {
    const store = await openTestStore();
    try {
      const settings = rateLimitsForStore({ store, settings: { webfinger: false } });
      if (store.dialect === "postgres") {
        const inbox = settings === false ? undefined : (settings?.inbox as { counter?: unknown } | undefined);
        assert.ok(inbox?.counter !== undefined, "the inbox limit counts in the database");
        assert.equal(settings === false ? undefined : settings?.webfinger, false, "a limit turned off stays off");
      } else {
        assert.deepEqual(settings, { webfinger: false });
      }
    } finally {
      await store.close();
    }
  });

  it("leaves limits that are turned off alone", () => {
    const counter: RateLimitCounter = { hit: async () => ({ allowed: true, retryAfterMs: 0 }) };
    assert.equal(withRateLimitCounter<RateLimitSettings>({ settings: false, counter, limits: ["inbox"] }), false);
    const settings = withRateLimitCounter<RateLimitSettings>({ settings: { inbox: false }, counter, limits: ["inbox", "webfinger"] });
    assert.deepEqual(settings, { inbox: false, webfinger: { counter } });
  });
});
