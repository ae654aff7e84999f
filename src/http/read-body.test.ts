import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readBoundedBody } from "./read-body.ts";

function streamOf(chunks: Uint8Array[], onPull: () => void): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      onPull();
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

describe("readBoundedBody", () => {
  it("returns a body within the cap", async () => {
    const request = new Request("https://x.test/", { method: "POST", body: "hello" });
    const result = await readBoundedBody({ request, maxBytes: 5 });
    assert.ok(result.ok);
    assert.equal(new TextDecoder().decode(result.body), "hello");
  });

  it("refuses a declared length over the cap without reading", async () => {
    let pulls = 0;
    const request = new Request("https://x.test/", {
      method: "POST",
      body: streamOf([new Uint8Array(10)], () => pulls++),
      headers: { "content-length": "10" },
      duplex: "half",
    } as RequestInit);
    const result = await readBoundedBody({ request, maxBytes: 5 });
    assert.deepEqual(result.ok ? null : result.reason, "tooLarge");
    assert.equal(pulls, 0);
  });

  it("stops reading a stream once it passes the cap", async () => {
    let pulls = 0;
    const chunks = Array.from({ length: 100 }, () => new Uint8Array(4));
    const request = new Request("https://x.test/", {
      method: "POST",
      body: streamOf(chunks, () => pulls++),
      duplex: "half",
    } as RequestInit);
    const result = await readBoundedBody({ request, maxBytes: 10 });
    assert.deepEqual(result.ok ? null : result.reason, "tooLarge");
    assert.ok(pulls < 10, `read ${pulls} chunks of 100`);
  });

  it("reads a body of declared length whole", async () => {
    const request = new Request("https://x.test/", { method: "POST", body: "hello", headers: { "content-length": "5" } });
    const result = await readBoundedBody({ request, maxBytes: 5 });
    assert.ok(result.ok);
    assert.equal(new TextDecoder().decode(result.body), "hello");
  });

  it("refuses a body longer than the cap whatever its Content-Length says", async () => {
    const request = new Request("https://x.test/", { method: "POST", body: "hello world", headers: { "content-length": "3" } });
    const result = await readBoundedBody({ request, maxBytes: 5 });
    assert.deepEqual(result.ok ? null : result.reason, "tooLarge");
  });

  it("refuses a malformed Content-Length", async () => {
    const request = new Request("https://x.test/", { method: "POST", body: "x", headers: { "content-length": "1x" } });
    const result = await readBoundedBody({ request, maxBytes: 5 });
    assert.deepEqual(result.ok ? null : result.reason, "badLength");
  });
});
