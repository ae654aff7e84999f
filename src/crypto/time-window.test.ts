import assert from "node:assert/strict";
import { test } from "node:test";
import { checkTimeWindow, formatDuration, formatHttpDate, parseHttpDate } from "./time-window.ts";

test("formatDuration speaks in the largest sensible unit", () => {
  const cases: ReadonlyArray<readonly [number, string]> = [
    [1, "1 second"],
    [45, "45 seconds"],
    [60, "1 minute"],
    [90, "90 seconds"],
    [300, "5 minutes"],
    [3600, "1 hour"],
    [5400, "90 minutes"],
    [7200, "2 hours"],
    [86_400, "24 hours"],
    [3 * 86_400, "3 days"],
  ];
  for (const [seconds, expected] of cases) {
    assert.equal(formatDuration(seconds), expected, `${seconds}s`);
  }
});

test("checkTimeWindow says how far off the timestamp is and what the window is", () => {
  const nowMs = Date.UTC(2025, 0, 14, 12, 0, 0);
  const base = { subject: "Date header", nowMs, maxPastSeconds: 3600, maxFutureSeconds: 300 };
  assert.deepEqual(checkTimeWindow({ ...base, timestampMs: nowMs - 3600_000 }), { ok: true });
  assert.deepEqual(checkTimeWindow({ ...base, timestampMs: nowMs + 300_000 }), { ok: true });
  assert.deepEqual(checkTimeWindow({ ...base, timestampMs: nowMs - 2 * 3600_000 }), {
    ok: false,
    reason: "dateOutOfWindow",
    message: "Date header is 2 hours in the past; the accepted window is 1 hour",
  });
  assert.deepEqual(checkTimeWindow({ ...base, timestampMs: nowMs + 600_000 }), {
    ok: false,
    reason: "dateOutOfWindow",
    message: "Date header is 10 minutes in the future; the accepted window is 5 minutes",
  });
});

test("HTTP dates round-trip through IMF-fixdate", () => {
  const date = new Date(Date.UTC(2014, 0, 5, 21, 31, 40));
  assert.equal(formatHttpDate(date), "Sun, 05 Jan 2014 21:31:40 GMT");
  assert.equal(parseHttpDate("Sun, 05 Jan 2014 21:31:40 GMT"), date.getTime());
  assert.equal(parseHttpDate("yesterday-ish"), null);
});
