import assert from "node:assert/strict";
import { test } from "node:test";
import { isUndeliverable } from "./undeliverable.ts";

const actor = "https://local.test/users/alice";
const block = { id: `${actor}/activities/1`, type: "Block", actor, object: "https://remote.test/users/bob" };

test("a Block is never delivered", () => {
  assert.equal(isUndeliverable({ activity: block }), true);
});

test("an Undo of an embedded Block is never delivered", () => {
  assert.equal(isUndeliverable({ activity: { id: `${actor}/activities/2`, type: "Undo", actor, object: block } }), true);
});

test("Undo of a Follow and ordinary activities are delivered", () => {
  const follow = { id: `${actor}/activities/3`, type: "Follow", actor, object: "https://remote.test/users/bob" };
  assert.equal(isUndeliverable({ activity: follow }), false);
  assert.equal(isUndeliverable({ activity: { id: `${actor}/activities/4`, type: "Undo", actor, object: follow } }), false);
  assert.equal(isUndeliverable({ activity: { id: `${actor}/activities/5`, type: "Create", actor, object: {} } }), false);
});
