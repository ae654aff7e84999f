/**
 * The bench's table: at the full sizes it shows each figure's target and
 * whether Outpost's median met it, so a table read later says which targets
 * held without a list to compare by hand.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { workloadSpecs } from "../../bench/figures.ts";
import { FULL_SIZES, type WorkloadName } from "../../bench/options.ts";
import { formatReport } from "../../bench/report.ts";
import { createResults, type Results } from "../../bench/results.ts";
import { describeMachineSpeed } from "../../bench/calibration.ts";

const specs = workloadSpecs({ sizes: FULL_SIZES });
const columns = [
  { name: "outpost", label: "Outpost" },
  { name: "fedify", label: "Fedify" },
] as const;

function resultsOf(values: Record<string, readonly number[]>, fedify = 1): Results {
  const results = createResults();
  for (const [address, list] of Object.entries(values)) {
    const [workload, figure] = address.split(".") as [WorkloadName, string];
    for (const value of list) {
      results.add({ server: "outpost", workload, figure, value });
      results.add({ server: "fedify", workload, figure, value: fedify });
    }
  }
  return results;
}

/** The cells after a figure's label in the table, split on runs of spaces. */
function cellsOf(table: string, label: string): string[] {
  const row = table.split("\n").find((line) => line.includes(label));
  assert.ok(row !== undefined, `no row "${label}" in:\n${table}`);
  return row.slice(row.indexOf(label) + label.length + 2).trim().split(/\s{2,}/);
}

test("each figure with a target shows it, marked by whether Outpost's median met it", () => {
  const table = formatReport({
    specs,
    workloads: ["ingest", "fanout", "wide"],
    columns,
    results: resultsOf({
      // The median, not the best round, is what counts.
      "ingest.storedPerSecond": [3_900, 4_100, 2_000],
      "ingest.p99Ms": [45, 50, 70],
      "fanout.seconds": [0.43, 0.39, 0.47],
      "wide.seconds": [10.8, 10.8, 10.9],
    }),
    reps: 3,
    targetsFor: "outpost",
  });
  assert.match(table.split("\n")[0]!, /Target$/);
  assert.equal(cellsOf(table, "stored activities/s (end to end)").at(-1), "≥ 4,000 ✗");
  // Reaching a target exactly meets it.
  assert.equal(cellsOf(table, "p99 latency ms").at(-1), "≤ 50 ✓");
  assert.equal(cellsOf(table, "s until every origin has the Create").at(-1), "≤ 0.5 ✓");
  assert.equal(cellsOf(table, "s until every inbox has the Create").at(-1), "≤ 10 ✗");
  // Figures without a target leave the column empty: two servers and the ratio only.
  assert.equal(cellsOf(table, "p50 latency ms").length, 3);
  assert.match(table, /^Target: what Outpost must reach where one core signs about 1,450 RSA-2048 signatures\/s/m);
});

test("a figure Outpost did not measure shows its target unmarked", () => {
  const table = formatReport({ specs, workloads: ["follow"], columns, results: createResults(), reps: 3, targetsFor: "outpost" });
  assert.deepEqual(cellsOf(table, "follows/s until every Accept arrived"), ["n/a", "n/a", "n/a", "≥ 400"]);
});

test("without a server held to the targets, as in a tiny run, the table has no Target column", () => {
  const table = formatReport({
    specs,
    workloads: ["fanout"],
    columns,
    results: resultsOf({ "fanout.seconds": [0.4] }),
    reps: 1,
  });
  assert.doesNotMatch(table, /Target/);
  assert.equal(cellsOf(table, "s until every origin has the Create").length, 3);
});

test("the speed line compares the machine with the one the targets assume", () => {
  const line = describeMachineSpeed({
    when: "start",
    signaturesPerSecond: 4_060,
    verificationsPerSecond: 56_000,
    bareGetsPerSecond: 50_000,
    bareConnections: 32,
  });
  assert.match(line, /^one core signs 4,060 RSA-2048 signatures\/s \(2\.80× the targets' machine\) and verifies 56,000;/);
});
