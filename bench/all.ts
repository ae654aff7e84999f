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
  // The table names the command as the user typed it, not with the budget added here.
  const command = args.length === 0 ? "npm run bench" : `npm run bench -- ${args.join(" ")}`;
  return spawnSync(process.execPath, [path, ...scriptArgs], { stdio: "inherit", env: { ...process.env, BENCH_COMMAND: command } }).status ?? 1;
};

const narrowed = args.some((arg) => arg === "--tiny" || arg.startsWith("--only") || arg.startsWith("--server"));
const database = process.env.OUTPOST_BENCH_DATABASE_URL || process.env.OUTPOST_TEST_DATABASE_URL;
const scaleOutFollows = !narrowed && database !== undefined && database !== "";
// The whole of `npm run bench` stays within ten minutes: the scale-out run takes
// about a minute and a half, so the side-by-side run gets eight unless told otherwise.
const budgeted = scaleOutFollows && !args.some((arg) => arg.startsWith("--budget-minutes")) ? [...args, "--budget-minutes", "8"] : args;
const servers = run("./run.ts", budgeted);
if (servers !== 0) process.exit(servers);
if (narrowed) process.exit(0);
if (database === undefined || database === "") {
  process.stderr.write("Scale-out benchmark skipped: set OUTPOST_BENCH_DATABASE_URL to a PostgreSQL database to run it.\n");
  process.exit(0);
}
process.exit(run("./scale-out.ts", []));
