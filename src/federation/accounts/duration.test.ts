import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDuration } from "./duration.ts";

test("durations in every unit", () => {
  assert.deepEqual(parseDuration({ text: "30d" }), { ok: true, ms: 30 * 86_400_000 });
  assert.deepEqual(parseDuration({ text: "12h" }), { ok: true, ms: 12 * 3_600_000 });
  assert.deepEqual(parseDuration({ text: " 90M " }), { ok: true, ms: 90 * 60_000 });
  assert.deepEqual(parseDuration({ text: "2w" }), { ok: true, ms: 14 * 86_400_000 });
  assert.deepEqual(parseDuration({ text: "45s" }), { ok: true, ms: 45_000 });
});

test("nonsense, zero and absurd durations are refused", () => {
  for (const text of ["", "30", "d", "1.5d", "-1d", "0d", "3651d", "10y"]) {
    assert.equal(parseDuration({ text }).ok, false, text);
  }
});
