import assert from "node:assert/strict";
import { test } from "node:test";
import { mapLimited } from "./map-limited.ts";

test("mapLimited keeps the order of the items whatever order calls finish in", async () => {
  const results = await mapLimited({
    items: [30, 10, 20],
    limit: 3,
    fn: async (n) => {
      await new Promise((resolve) => setTimeout(resolve, n));
      return n * 2;
    },
  });
  assert.deepEqual(results, [60, 20, 40]);
});

test("mapLimited never runs more calls at once than the limit", async () => {
  let running = 0;
  let peak = 0;
  await mapLimited({
    items: Array.from({ length: 10 }, (_, i) => i),
    limit: 3,
    fn: async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
    },
  });
  assert.equal(peak, 3);
});

test("mapLimited returns an empty list for no items", async () => {
  assert.deepEqual(await mapLimited({ items: [], limit: 4, fn: async () => 1 }), []);
});

test("mapLimited rejects when a call rejects", async () => {
  await assert.rejects(
    mapLimited({
      items: [1, 2],
      limit: 2,
      fn: async (n) => {
        if (n === 2) throw new Error("boom");
        return n;
      },
    }),
    /boom/,
  );
});
