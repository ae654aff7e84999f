import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isNewerRevision } from "./revision-policy.ts";

describe("isNewerRevision", () => {
  it("takes an edit of an object never edited before", () => {
    assert.equal(isNewerRevision({ stored: null, incoming: "2024-05-01T10:00:00Z" }), true);
  });

  it("takes a later edit", () => {
    assert.equal(isNewerRevision({ stored: "2024-05-01T10:00:00Z", incoming: "2024-05-01T10:00:01Z" }), true);
  });

  it("keeps the stored version against an older or equal edit", () => {
    assert.equal(isNewerRevision({ stored: "2024-05-01T10:00:00Z", incoming: "2024-04-30T10:00:00Z" }), false);
    assert.equal(isNewerRevision({ stored: "2024-05-01T10:00:00Z", incoming: "2024-05-01T10:00:00Z" }), false);
  });

  it("compares times, not strings, across time zone notations", () => {
    assert.equal(isNewerRevision({ stored: "2024-05-01T10:00:00Z", incoming: "2024-05-01T12:30:00+02:00" }), true);
    assert.equal(isNewerRevision({ stored: "2024-05-01T10:00:00Z", incoming: "2024-05-01T11:30:00+02:00" }), false);
  });

  it("keeps an edited version against one that does not say when it was edited", () => {
    assert.equal(isNewerRevision({ stored: "2024-05-01T10:00:00Z", incoming: undefined }), false);
    assert.equal(isNewerRevision({ stored: "2024-05-01T10:00:00Z", incoming: "yesterday" }), false);
  });
});
