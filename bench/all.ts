/**
 * `npm run bench`: the side-by-side benchmark against Fedify (bench/run.ts,
 * which takes the arguments), then, when a PostgreSQL database is named, the
 * scale-out benchmark with 1 and 2 worker processes (bench/scale-out.ts).
 * A run narrowed with --tiny or --only measures the first part alone.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const run = (script: string, scriptArgs: readonly string[]): number => {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return spawnSync(process.execPath, [path, ...scriptArgs], { stdio: "inherit" }).status ?? 1;
};

const servers = run("./run.ts", args);
if (servers !== 0) process.exit(servers);
const narrowed = args.some((arg) => arg === "--tiny" || arg.startsWith("--only") || arg.startsWith("--server"));
const database = process.env.OUTPOST_BENCH_DATABASE_URL || process.env.OUTPOST_TEST_DATABASE_URL;
if (narrowed) process.exit(0);
if (database === undefined || database === "") {
  process.stderr.write("Scale-out benchmark skipped: set OUTPOST_BENCH_DATABASE_URL to a PostgreSQL database to run it.\n");
  process.exit(0);
}
process.exit(run("./scale-out.ts", []));
