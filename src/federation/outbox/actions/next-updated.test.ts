import assert from "node:assert/strict";
import { test } from "node:test";
import { nextUpdated } from "./next-updated.ts";

test("an edit after the last change is stamped with the current time", () => {
  assert.equal(
    nextUpdated({ now: new Date("2025-03-01T12:00:00.000Z"), updated: "2025-03-01T11:00:00.000Z", published: "2025-03-01T10:00:00.000Z" }),
    "2025-03-01T12:00:00.000Z",
  );
});

test("an edit in the same millisecond as the last one is still strictly newer", () => {
  assert.equal(
    nextUpdated({ now: new Date("2025-03-01T12:00:00.000Z"), updated: "2025-03-01T12:00:00.000Z", published: "2025-03-01T10:00:00.000Z" }),
    "2025-03-01T12:00:00.001Z",
  );
});

test("a clock that went back still yields a time after the published time of a never-edited post", () => {
  assert.equal(
    nextUpdated({ now: new Date("2025-03-01T09:00:00.000Z"), updated: null, published: "2025-03-01T10:00:00.000Z" }),
    "2025-03-01T10:00:00.001Z",
  );
});

test("a post with no usable times takes the current time", () => {
  assert.equal(nextUpdated({ now: new Date("2025-03-01T09:00:00.000Z"), updated: null, published: "garbage" }), "2025-03-01T09:00:00.000Z");
});
