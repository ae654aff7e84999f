import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import { createOutpost } from "../outpost.ts";
import { serveOutpost } from "./node-server.ts";

describe("serveOutpost", () => {
  it("serves Outpost over real HTTP on a free loopback port", async () => {
    const outpost = await createOutpost({
      origin: "https://outpost.test",
      databaseUrl: ":memory:",
      logger: pino({ level: "silent" }),
      workers: "none",
      config: { maxInboxBytes: 1024 },
    });
    const server = await serveOutpost({ outpost, port: 0 });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const finger = await fetch(`${server.url}/.well-known/webfinger?resource=acct:outpost.test@outpost.test`);
      assert.equal(finger.status, 200);
      assert.equal(((await finger.json()) as { subject: string }).subject, "acct:outpost.test@outpost.test");

      const tooLarge = await fetch(`${server.url}/inbox`, {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: "x".repeat(4096),
      });
      assert.equal(tooLarge.status, 413);

      const other = await fetch(`${server.url}/elsewhere`);
      assert.equal(other.status, 404);
    } finally {
      await server.close();
      await outpost.stop();
    }
  });

  it("rejects when the port is taken", async () => {
    const outpost = await createOutpost({
      origin: "https://outpost.test",
      databaseUrl: ":memory:",
      logger: pino({ level: "silent" }),
      workers: "none",
    });
    const first = await serveOutpost({ outpost });
    try {
      const port = Number(new URL(first.url).port);
      await assert.rejects(serveOutpost({ outpost, port }), /EADDRINUSE/);
    } finally {
      await first.close();
      await outpost.stop();
    }
  });
});
