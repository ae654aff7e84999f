import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildOrderedCollection, buildOrderedCollectionPage } from "./collections.ts";
import { AS_CONTEXT } from "./vocabulary.ts";

const OUTBOX = "https://outpost.example/users/bob/outbox";

describe("collections", () => {
  it("builds a collection summary pointing at its pages", () => {
    assert.deepEqual(buildOrderedCollection({ id: OUTBOX, totalItems: 12, first: `${OUTBOX}?page=1`, last: `${OUTBOX}?page=2` }), {
      "@context": AS_CONTEXT,
      id: OUTBOX,
      type: "OrderedCollection",
      totalItems: 12,
      first: `${OUTBOX}?page=1`,
      last: `${OUTBOX}?page=2`,
    });
  });

  it("builds a small collection with its items inline", () => {
    const doc = buildOrderedCollection({ id: OUTBOX, totalItems: 1, orderedItems: ["https://x.example/1"] });
    assert.deepEqual(doc.orderedItems, ["https://x.example/1"]);
    assert.equal("first" in doc, false);
  });

  it("builds a page with next/prev only when they exist", () => {
    const last = buildOrderedCollectionPage({ id: `${OUTBOX}?page=2`, partOf: OUTBOX, orderedItems: [], prev: `${OUTBOX}?page=1` });
    assert.equal(last.type, "OrderedCollectionPage");
    assert.equal(last.partOf, OUTBOX);
    assert.equal(last.prev, `${OUTBOX}?page=1`);
    assert.equal("next" in last, false);
    assert.equal("totalItems" in last, false);
    const first = buildOrderedCollectionPage({ id: `${OUTBOX}?page=1`, partOf: OUTBOX, totalItems: 40, orderedItems: [{ id: "a" }], next: `${OUTBOX}?page=2` });
    assert.equal(first.next, `${OUTBOX}?page=2`);
    assert.equal(first.totalItems, 40);
    assert.deepEqual(first.orderedItems, [{ id: "a" }]);
  });
});
