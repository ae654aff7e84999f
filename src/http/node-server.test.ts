import assert from "node:assert/strict";
import { connect } from "node:net";
import { describe, it } from "node:test";
import pino from "pino";
import { createOutpost } from "../outpost.ts";
import { serveOutpost } from "./node-server.ts";

/** An Outpost in memory, without workers, that takes inbox bodies of at most 1 KiB. */
function openOutpost() {
  return createOutpost({
    origin: "https://outpost.test",
    databaseUrl: ":memory:",
    logger: pino({ level: "silent" }),
    workers: "none",
    config: { maxInboxBytes: 1024 },
  });
}

describe("serveOutpost", () => {
  it("serves Outpost over real HTTP on a free loopback port", async () => {
    const outpost = await openOutpost();
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

  it("reads inbox bodies of declared length across packets, caps streamed ones, and refuses one cut short", async () => {
    const outpost = await openOutpost();
    const server = await serveOutpost({ outpost, port: 0 });
    const { port } = new URL(server.url);
    // Sends raw bytes in pieces and returns the status line of the answer.
    const exchange = (pieces: readonly string[], endAfter: boolean): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(Number(port), "127.0.0.1");
        let answer = "";
        socket.setEncoding("latin1");
        socket.on("data", (chunk: string) => {
          answer += chunk;
          if (answer.includes("\r\n")) socket.destroy();
        });
        socket.on("close", () => resolve(answer.split("\r\n")[0] ?? ""));
        socket.on("error", reject);
        socket.on("connect", async () => {
          for (const piece of pieces) {
            socket.write(piece);
            await new Promise((wait) => setTimeout(wait, 20));
          }
          if (endAfter) socket.end();
        });
      });
    const head = (length: number) =>
      `POST /inbox HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/activity+json\r\nContent-Length: ${length}\r\n\r\n`;
    try {
      // An activity in three packets is read whole: it gets as far as its (missing) signature, 401, not 400.
      const activity = JSON.stringify({
        id: "https://remote.example/activities/1",
        type: "Create",
        actor: "https://remote.example/users/bob",
        object: { id: "https://remote.example/notes/1", type: "Note", attributedTo: "https://remote.example/users/bob", content: "hi" },
      });
      const third = Math.floor(activity.length / 3);
      const pieces = [activity.slice(0, third), activity.slice(third, 2 * third), activity.slice(2 * third)];
      assert.match(await exchange([head(activity.length), ...pieces], false), /^HTTP\/1\.1 401 /);
      // Ten bytes of a declared hundred, then the sender ends its side: the body is refused.
      assert.match(await exchange([head(100), "0123456789"], true), /^HTTP\/1\.1 400 /);
      // A streamed body without a length is cut off at the cap.
      const streamed = await fetch(`${server.url}/inbox`, {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode("x".repeat(512)));
            controller.close();
          },
        }),
        duplex: "half",
      } as RequestInit);
      assert.equal(streamed.status, 413);
      const finger = await fetch(`${server.url}/.well-known/webfinger?resource=acct:outpost.test@outpost.test`);
      assert.equal(finger.status, 200);
    } finally {
      await server.close();
      await outpost.stop();
    }
  });

  it("rejects when the port is taken", async () => {
    const outpost = await openOutpost();
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
