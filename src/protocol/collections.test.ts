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

describe("embedded items' contexts", () => {
  it("move up to the page, merged, so the terms items use stay defined", () => {
    const page = buildOrderedCollectionPage({
      id: "https://a.example/outbox?page=true",
      partOf: "https://a.example/outbox",
      orderedItems: [
        { "@context": [AS_CONTEXT, { sensitive: "as:sensitive" }], id: "https://a.example/1", type: "Create" },
        { "@context": [AS_CONTEXT, "https://w3id.org/security/v1", { Hashtag: "as:Hashtag" }], id: "https://a.example/2", type: "Announce" },
        "https://a.example/3",
      ],
    });
    assert.deepEqual(page["@context"], [
      AS_CONTEXT,
      "https://w3id.org/security/v1",
      { sensitive: "as:sensitive", Hashtag: "as:Hashtag" },
    ]);
    const items = page.orderedItems as Record<string, unknown>[];
    assert.equal(items.some((item) => typeof item === "object" && "@context" in item), false);
    assert.equal(items[2], "https://a.example/3");
  });

  it("leave a plain ActivityStreams context when no item brings another", () => {
    const collection = buildOrderedCollection({ id: "https://a.example/f", totalItems: 1, orderedItems: ["https://b.example/u"] });
    assert.equal(collection["@context"], AS_CONTEXT);
  });
});
