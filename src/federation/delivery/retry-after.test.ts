import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRetryAfter } from "./retry-after.ts";

const now = new Date("2025-03-01T12:00:00Z");

describe("parseRetryAfter", () => {
  const table: [string | null, number | undefined][] = [
    [null, undefined],
    ["", undefined],
    ["120", 120_000],
    [" 0 ", 0],
    ["Sat, 01 Mar 2025 12:05:00 GMT", 300_000],
    ["Sat, 01 Mar 2025 11:00:00 GMT", 0],
    ["soon", undefined],
    ["-5", undefined],
    ["1.5", undefined],
    ["2025-03-01T13:00:00Z", undefined],
  ];
  for (const [value, expected] of table) {
    it(`reads ${JSON.stringify(value)} as ${expected ?? "nothing"}`, () => {
      assert.equal(parseRetryAfter({ value, now }), expected);
    });
  }
});
