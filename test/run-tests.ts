/**
 * `npm test` after the type check: the whole suite on SQLite and, when
 * OUTPOST_TEST_DATABASE_URL names a PostgreSQL database, the whole suite
 * again with OUTPOST_TEST_BACKEND=postgres. Fails if either pass fails.
 *
 *   node test/run-tests.ts [file or glob …]
 *
 * The two passes run side by side (the SQLite one mostly keeps the CPU busy,
 * the PostgreSQL one mostly waits for the database); the SQLite pass prints
 * as it goes and the PostgreSQL pass's report follows it. The SQLite pass
 * does not see the database URL, so everything PostgreSQL runs once, in its
 * own pass.
 *
 * Within the PostgreSQL pass the store's own tests (src/store/) run after the
 * others: they create and drop schemas of their own, and opening a store
 * fails when another process drops a schema at that moment, which the test
 * stores guard against with a lock those tests do not take.
 *
 * OUTPOST_TEST_CONCURRENCY sets how many test files each pass runs at once
 * (default 2). Every PostgreSQL schema a test opens is dropped when its
 * store closes; the runner also drops any that a test left behind and says so.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { globSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_PATTERNS = ["src/**/*.test.ts", "test/**/*.test.ts"];
const STORE_TESTS = /^src\/store\//;

type Backend = "sqlite" | "postgres";

interface PassResult {
  readonly backend: Backend;
  readonly code: number;
  readonly seconds: number;
}

interface PassParams {
  readonly backend: Backend;
  readonly runId: string;
  /** Groups of files run one group after the other, each with `node --test`. */
  readonly groups: readonly (readonly string[])[];
  readonly concurrency: number;
  /** Print as it goes, or keep the report to print later. */
  readonly live: boolean;
}

interface RunningPass {
  readonly done: Promise<PassResult>;
  /** The report kept so far (empty for a live pass). */
  readonly report: () => string;
  /** Tests passed and failed, from the reports' summaries. */
  readonly totals: () => { passed: number; failed: number };
}

function heading(backend: Backend): string {
  return `\n== Test suite on ${backend === "sqlite" ? "SQLite" : "PostgreSQL"} ==\n\n`;
}

function passEnv(params: PassParams): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OUTPOST_TEST_BACKEND: params.backend, OUTPOST_TEST_RUN_ID: params.runId };
  if (params.backend === "sqlite") delete env.OUTPOST_TEST_DATABASE_URL;
  return env;
}

function runGroup(params: PassParams, files: readonly string[], kept: string[]): Promise<number> {
  const child = spawn(process.execPath, ["--test", `--test-concurrency=${params.concurrency}`, ...files], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: passEnv(params),
  });
  // Kept either way: the totals are read from the reports at the end.
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    kept.push(chunk);
    if (params.live) process.stdout.write(chunk);
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    kept.push(chunk);
    if (params.live) process.stderr.write(chunk);
  });
  return new Promise((resolve) => {
    child.once("close", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

function startPass(params: PassParams): RunningPass {
  const started = Date.now();
  if (params.live) process.stdout.write(heading(params.backend));
  const kept: string[] = [];
  const done = (async (): Promise<PassResult> => {
    let code = 0;
    for (const group of params.groups) {
      if (group.length === 0) continue;
      const groupCode = await runGroup(params, group, kept);
      if (code === 0) code = groupCode;
    }
    return { backend: params.backend, code, seconds: (Date.now() - started) / 1000 };
  })();
  return {
    done,
    report: () => (params.live ? "" : heading(params.backend) + kept.join("")),
    totals: () => totalsOf(kept.join("")),
  };
}

/** Passed and failed test counts summed over the summaries of a pass's reports (spec or TAP). */
function totalsOf(output: string): { passed: number; failed: number } {
  const sum = (name: string) =>
    [...output.matchAll(new RegExp(`^(?:ℹ|#) ${name} (\\d+)$`, "gmu"))].reduce((total, match) => total + Number(match[1]), 0);
  return { passed: sum("pass"), failed: sum("fail") + sum("cancelled") };
}

/** Drops the schemas of this run that a test left open; returns their number. */
async function sweepSchemas(params: { readonly url: string; readonly runId: string }): Promise<number> {
  const client = new pg.Client({ connectionString: params.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1",
      [`t\\_${params.runId}\\_%`],
    );
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    return rows.length;
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const patterns = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_PATTERNS;
  const files = [...new Set(globSync(patterns, { cwd: ROOT }))].sort();
  if (files.length === 0) {
    process.stdout.write(`No test file matches ${patterns.join(" ")}\n`);
    return 1;
  }
  const concurrency = Math.max(1, Number.parseInt(process.env.OUTPOST_TEST_CONCURRENCY ?? "", 10) || 2);
  const url = process.env.OUTPOST_TEST_DATABASE_URL || undefined;
  const runId = randomBytes(3).toString("hex");
  const passes = [startPass({ backend: "sqlite", runId, groups: [files], concurrency, live: true })];
  if (url !== undefined) {
    const storeTests = files.filter((file) => STORE_TESTS.test(file));
    const others = files.filter((file) => !STORE_TESTS.test(file));
    passes.push(startPass({ backend: "postgres", runId, groups: [others, storeTests], concurrency, live: false }));
  }
  const results: PassResult[] = [];
  for (const pass of passes) {
    results.push(await pass.done);
    process.stdout.write(pass.report());
  }
  if (url !== undefined) {
    const leaked = await sweepSchemas({ url, runId }).catch((error: unknown) => {
      process.stdout.write(`Could not sweep test schemas: ${(error as Error).message}\n`);
      return 0;
    });
    if (leaked > 0) process.stdout.write(`\nDropped ${leaked} schema(s) a test left open (t_${runId}_*).\n`);
  } else {
    process.stdout.write("\nOUTPOST_TEST_DATABASE_URL is not set: the suite ran on SQLite only.\n");
  }
  process.stdout.write("\n");
  for (const result of results) {
    const name = result.backend === "sqlite" ? "SQLite    " : "PostgreSQL";
    process.stdout.write(`${name} ${result.code === 0 ? "passed" : "FAILED"} in ${result.seconds.toFixed(0)} s\n`);
  }
  const totals = passes.map((pass) => pass.totals());
  const passed = totals.reduce((sum, total) => sum + total.passed, 0);
  const failed = totals.reduce((sum, total) => sum + total.failed, 0);
  // One plain closing line over both passes, for tools that read the last line.
  process.stdout.write(`\ntotal: ${passed} passed, ${failed} failed\n`);
  return results.every((result) => result.code === 0) ? 0 : 1;
}

process.exitCode = await main();
