/**
 * The benchmark harness end to end, in its tiny mode: it must start both
 * servers, the remote world and the load generator, run every workload, and
 * print one table with every figure for both servers. The numbers themselves
 * are not checked; they depend on the machine.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { workloadSpecs } from "../../bench/figures.ts";
import { TINY_SIZES, WORKLOADS } from "../../bench/options.ts";
import { OUTPOST_NODE_FLAGS } from "../../bench/servers/target.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runBench(args: readonly string[]): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bench/run.ts", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("bench --tiny completes and prints every workload's figures for both servers", { timeout: 300_000 }, async () => {
  const finished = await runBench(["--tiny"]);
  assert.equal(finished.code, 0, `bench exited with ${finished.code}:\n${finished.stderr.slice(-4000)}`);

  const lines = finished.stdout.split("\n");
  // A table copied into the README must say when, where and how it was made.
  assert.match(finished.stdout, /^Date: +\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/m);
  assert.match(finished.stdout, /^Machine: +\d+ × .+, \d+ GiB RAM, .+, Node\.js \d+\.\d+\.\d+$/m);
  assert.match(finished.stdout, /^Command: +npm run bench -- --tiny$/m);
  // And how fast the machine was, at the start and at the end, since that moves from hour to hour.
  const speed = /one core signs [\d,.]+ RSA-2048 signatures\/s \([\d.]+× the targets' machine\) and verifies [\d,.]+; a bare node:http server answers [\d,.]+ GETs\/s \(\d+ conns\)/;
  assert.match(finished.stdout, new RegExp(`^Speed: +${speed.source} \\(start of run\\)$`, "m"));
  assert.match(finished.stdout, new RegExp(`^ +${speed.source} \\(end of run\\)$`, "m"));
  const header = lines.find((line) => line.startsWith("Workload"));
  assert.ok(header !== undefined, `no table in:\n${finished.stdout}`);
  assert.match(header, /Outpost/);
  assert.match(header, /Fedify/);

  const specs = workloadSpecs({ sizes: TINY_SIZES });
  for (const name of WORKLOADS) {
    const spec = specs[name];
    const start = lines.findIndex((line) => line.startsWith(spec.title));
    assert.notEqual(start, -1, `no rows for ${spec.title}`);
    for (const [offset, figure] of spec.figures.entries()) {
      const row = lines[start + offset] ?? "";
      assert.ok(row.includes(figure.label), `${spec.title}: row ${offset + 1} should be "${figure.label}", is "${row}"`);
      // After the label: a cell for each server and the ratio, separated by runs of spaces.
      const cells = row.slice(row.indexOf(figure.label) + figure.label.length + 2).trim().split(/\s{2,}/);
      assert.equal(cells.length, 3, `${spec.title} / ${figure.label}: expected two servers and a ratio, got ${JSON.stringify(cells)}`);
    }
  }
});

test("the bench runs Outpost with the Node.js flags npm start uses", () => {
  const scripts = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> }).scripts;
  const start = scripts.start ?? "";
  const flags = start.split(/\s+/).filter((word) => word.startsWith("--"));
  assert.deepEqual(flags, [...OUTPOST_NODE_FLAGS], `package.json start is "${start}"`);
});
