import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { guardGlobalFetch, loopbackOnlyFetch } from "./loopback-fetch.ts";

describe("loopbackOnlyFetch", () => {
  const reached: string[] = [];
  const fetch = loopbackOnlyFetch({
    fetch: async (input) => {
      reached.push(input instanceof Request ? input.url : String(input));
      return new Response("ok");
    },
  });

  it("passes loopback URLs through", async () => {
    reached.length = 0;
    for (const url of ["http://127.0.0.1:8080/a", "http://127.9.9.9/b", "http://localhost/c", "http://[::1]:3000/d"]) {
      assert.equal((await fetch(url)).status, 200);
    }
    assert.equal(reached.length, 4);
  });

  it("refuses every other host without sending anything", async () => {
    reached.length = 0;
    for (const url of ["https://www.w3.org/ns/activitystreams", "http://10.0.0.1/", "http://128.0.0.1/", "http://127.0.0.1.example/"]) {
      await assert.rejects(fetch(url), /beyond loopback/);
    }
    await assert.rejects(fetch(new Request("https://example.com/")), /beyond loopback/);
    assert.deepEqual(reached, []);
  });
});

describe("guardGlobalFetch", () => {
  it("guards the global fetch until restored", async () => {
    const original = globalThis.fetch;
    const restore = guardGlobalFetch();
    try {
      assert.notEqual(globalThis.fetch, original);
      await assert.rejects(globalThis.fetch("https://example.com/"), /beyond loopback/);
    } finally {
      restore();
    }
    assert.equal(globalThis.fetch, original);
  });
});
