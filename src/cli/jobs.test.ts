import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatJobStats } from "./jobs.ts";

describe("formatJobStats", () => {
  it("lays out one line per queue with how long the oldest due job has waited", () => {
    const now = new Date("2026-03-01T12:00:00.000Z");
    const lines = formatJobStats({
      now,
      stats: {
        queues: [
          { queue: "deliver", due: 120, scheduled: 4, running: 32, failed: 2, done: 9000, oldestDueAt: "2026-03-01T11:45:00.000Z" },
          { queue: "inbox", due: 0, scheduled: 0, running: 1, failed: 0, done: 300, oldestDueAt: null },
        ],
        backedOffHosts: 3,
      },
    });
    assert.deepEqual(lines, [
      [
        "Queue    Due  Scheduled  Running  Failed  Done  Oldest due waits",
        "deliver  120  4          32       2       9000  15 min",
        "inbox    0    0          1        0       300   -",
      ].join("\n"),
      "Backed-off hosts: 3",
    ]);
  });

  it("says so when there is no job at all", () => {
    assert.deepEqual(formatJobStats({ now: new Date(), stats: { queues: [], backedOffHosts: 0 } }), ["No jobs.", "Backed-off hosts: 0"]);
  });
});
