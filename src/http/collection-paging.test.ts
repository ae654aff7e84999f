import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HttpError } from "./errors.ts";
import { pageUrl, parseCollectionQuery } from "./collection-paging.ts";

describe("parseCollectionQuery", () => {
  it("reads the collection, the newest page, and cursor pages", () => {
    assert.deepEqual(parseCollectionQuery({ query: {} }), { kind: "collection" });
    assert.deepEqual(parseCollectionQuery({ query: { page: "true" } }), { kind: "page", before: undefined, after: undefined });
    assert.deepEqual(parseCollectionQuery({ query: { page: "true", before: "42" } }), {
      kind: "page",
      before: "42",
      after: undefined,
    });
    assert.deepEqual(parseCollectionQuery({ query: { page: "true", after: "" } }), {
      kind: "page",
      before: undefined,
      after: "",
    });
  });

  it("answers 400 for malformed cursors and for both directions at once", () => {
    const queries: Record<string, string>[] = [
      { before: "<script>" },
      { before: "x".repeat(500) },
      { before: "1", after: "2" },
      { before: "" },
    ];
    for (const query of queries) {
      assert.throws(
        () => parseCollectionQuery({ query: { page: "true", ...query } }),
        (error) => error instanceof HttpError && error.status === 400,
        JSON.stringify(query),
      );
    }
  });
});

describe("pageUrl", () => {
  it("encodes cursors", () => {
    assert.equal(pageUrl({ collectionId: "https://x.test/c", before: "a:b" }), "https://x.test/c?page=true&before=a%3Ab");
    assert.equal(pageUrl({ collectionId: "https://x.test/c", after: "" }), "https://x.test/c?page=true&after=");
  });
});
