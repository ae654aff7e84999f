import assert from "node:assert/strict";
import { test } from "node:test";
import { createBoundedCache } from "./bounded-cache.ts";

test("evicts the least recently used entry once over capacity", () => {
  const cache = createBoundedCache<string, number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  assert.equal(cache.get("a"), 1); // "a" is now the most recent, "b" the oldest
  cache.set("c", 3);
  assert.equal(cache.size, 2);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a"), 1);
  assert.equal(cache.get("c"), 3);
});

test("overwriting a key does not grow the cache", () => {
  const cache = createBoundedCache<string, number>(2);
  cache.set("a", 1);
  cache.set("a", 2);
  assert.equal(cache.size, 1);
  assert.equal(cache.get("a"), 2);
});

test("drops one entry on request", () => {
  const cache = createBoundedCache<string, number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  assert.equal(cache.delete("a"), true);
  assert.equal(cache.delete("a"), false);
  assert.equal(cache.get("a"), undefined);
  assert.equal(cache.get("b"), 2);
  assert.equal(cache.size, 1);
});

test("rejects a capacity that is not a positive integer", () => {
  for (const size of [0, -1, 1.5]) {
    assert.throws(() => createBoundedCache(size), RangeError);
  }
});
