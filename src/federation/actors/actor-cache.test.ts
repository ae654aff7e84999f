import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coalesce, createTtlCache, type ActorCaches } from "./actor-cache.ts";

const t0 = new Date("2025-03-01T12:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("createTtlCache", () => {
  it("forgets entries once they expire", () => {
    const cache = createTtlCache<string>({ maxEntries: 10, ttlMs: 1000 });
    cache.set("a", "A", t0);
    assert.equal(cache.get("a", at(999)), "A");
    assert.equal(cache.get("a", at(1000)), undefined);
  });

  it("evicts the least recently used entry when full", () => {
    const cache = createTtlCache<number>({ maxEntries: 2, ttlMs: 60_000 });
    cache.set("a", 1, t0);
    cache.set("b", 2, t0);
    cache.get("a", t0);
    cache.set("c", 3, t0);
    assert.equal(cache.get("b", t0), undefined);
    assert.equal(cache.get("a", t0), 1);
    assert.equal(cache.get("c", t0), 3);
    assert.equal(cache.size, 2);
  });

  it("drops an entry on request", () => {
    const cache = createTtlCache<number>({ maxEntries: 2, ttlMs: 60_000 });
    cache.set("a", 1, t0);
    cache.delete("a");
    assert.equal(cache.get("a", t0), undefined);
  });
});

describe("coalesce", () => {
  it("shares one load between concurrent callers and forgets it afterwards", async () => {
    const caches = { inFlight: new Map() } as unknown as ActorCaches;
    let loads = 0;
    const load = async () => ++loads;
    const results = await Promise.all([coalesce(caches, "k", load), coalesce(caches, "k", load)]);
    assert.deepEqual(results, [1, 1]);
    assert.equal(await coalesce(caches, "k", load), 2);
  });
});
