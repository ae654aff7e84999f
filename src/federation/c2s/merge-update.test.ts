import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeUpdate } from "./merge-update.ts";

const current = {
  "@context": "https://www.w3.org/ns/activitystreams",
  id: "https://local.test/users/alice/objects/1",
  type: "Event",
  attributedTo: "https://local.test/users/alice",
  name: "Picnic",
  startTime: "2025-06-01T12:00:00Z",
  location: { type: "Place", name: "The park" },
  published: "2025-05-01T00:00:00Z",
};

test("sent properties replace, null removes, the rest stays", () => {
  const merged = mergeUpdate({
    current,
    changes: { id: current.id, name: "Picnic (moved)", location: { type: "Place", name: "The beach" }, startTime: null },
  });
  assert.ok(merged.ok);
  assert.deepEqual(merged.document, {
    ...Object.fromEntries(Object.entries(current).filter(([key]) => key !== "startTime")),
    name: "Picnic (moved)",
    location: { type: "Place", name: "The beach" },
  });
  assert.deepEqual(merged.changed.sort(), ["location", "name", "startTime"]);
});

test("ids, dates and the context stay the server's", () => {
  const merged = mergeUpdate({
    current,
    changes: { id: "https://elsewhere.example/x", published: "1999-01-01T00:00:00Z", "@context": "x", updated: "2000-01-01T00:00:00Z" },
  });
  assert.ok(merged.ok);
  assert.deepEqual(merged.document, current);
  assert.deepEqual(merged.changed, []);
});

test("type and author cannot change", () => {
  assert.equal(mergeUpdate({ current, changes: { type: "Note" } }).ok, false);
  assert.equal(mergeUpdate({ current, changes: { attributedTo: "https://local.test/users/mallory" } }).ok, false);
  assert.equal(mergeUpdate({ current, changes: { type: "Event", attributedTo: { id: current.attributedTo } } }).ok, true);
});
