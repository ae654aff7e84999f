import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMemoryRateLimitCounter } from "./memory-rate-limit-counter.ts";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const at = (ms: number) => new Date(T0 + ms);

describe("the in-memory rate-limit counter", () => {
  it("admits a burst of `limit`, refuses the next with the wait until one more fits, and refills over the window", async () => {
    const counter = createMemoryRateLimitCounter({ maxKeys: 100 });
    const hit = (ms: number) => counter.hit("k", { limit: 3, windowMs: 3000, now: at(ms) });
    for (let i = 0; i < 3; i++) assert.equal((await hit(0)).allowed, true);
    const refused = await hit(0);
    assert.equal(refused.allowed, false);
    assert.equal(refused.retryAfterMs, 1000);
    assert.equal((await hit(1000)).allowed, true);
    assert.equal((await hit(1000)).allowed, false);
  });

  it("forgets the least recently seen key beyond maxKeys, so memory stays bounded", async () => {
    const counter = createMemoryRateLimitCounter({ maxKeys: 2 });
    const params = { limit: 1, windowMs: 60_000, now: at(0) };
    assert.equal((await counter.hit("a", params)).allowed, true);
    assert.equal((await counter.hit("b", params)).allowed, true);
    assert.equal((await counter.hit("b", params)).allowed, false);
    assert.equal((await counter.hit("c", params)).allowed, true);
    // "a" was dropped to make room for "c": it starts over with a full bucket.
    assert.equal((await counter.hit("a", params)).allowed, true);
  });
});
