/**
 * `npm run bench`: starts the remote world and the load generator, then runs
 * rounds of the suite: in each round every server in turn (Outpost and the
 * Fedify reference server, alternating who goes first) is started and runs
 * every workload once. Rounds repeat up to `--reps` times within the time
 * budget, which keeps Outpost's later turns their time (schedule.ts); at the
 * end one table compares the servers.
 *
 *   node bench/run.ts [--tiny] [--only <workload>[,…]] [--reps N] [--server outpost|fedify] [--budget-minutes M]
 */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describeMachineSpeed, formatMachineSpeed, measureMachineSpeed, type MachineSpeed } from "./calibration.ts";
import { nowMs } from "./clock.ts";
import { workloadSpecs } from "./figures.ts";
import { createIpcClient } from "./ipc.ts";
import type { CommandMap, IpcClient } from "./ipc.ts";
import type { LoadCommands } from "./load/load-protocol.ts";
import { parseOptions } from "./options.ts";
import type { BenchOptions, WorkloadName } from "./options.ts";
import { BENCH_DIR, REPO_ROOT } from "./paths.ts";
import { describeRun } from "./machine.ts";
import { waitForQuietMachine } from "./proc-stats.ts";
import { formatReport } from "./report.ts";
import { createResults } from "./results.ts";
import { turnDeadline, turnOrder } from "./schedule.ts";
import { bundleServerScript } from "./servers/bundle-server.ts";
import { freePort, startTarget, TARGETS } from "./servers/target.ts";
import type { RunningTarget, TargetSpec } from "./servers/target.ts";
import type { WorkloadContext } from "./workloads/context.ts";
import { runFanOut } from "./workloads/fan-out.ts";
import { runFollowIntake } from "./workloads/follow-intake.ts";
import { runFollowersCollection } from "./workloads/followers-collection.ts";
import { measureStart } from "./workloads/footprint.ts";
import { runIngest } from "./workloads/ingest.ts";
import { runReads } from "./workloads/reads.ts";
import { loadKeyPool } from "./world/key-pool.ts";
import type { WorldLayout } from "./world/layout.ts";
import type { WorldServerOptions } from "./world/world-server.ts";
import type { WorldCommands, WorldReady } from "./world/world-protocol.ts";

const FIRST_ACTOR = "bench";
const START_TIMEOUT_MS = 60_000;

const parsed = parseOptions({ argv: process.argv.slice(2) });
if (!parsed.ok) {
  process.stderr.write(`${parsed.message}\n`);
  process.exit(2);
}
const options = parsed.options;
const began = nowMs();
const runStartedAt = new Date();
const deadline = began + options.budgetMs;
const log = (message: string) => process.stderr.write(`[bench ${((nowMs() - began) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);

// Per process, so that two runs (a test's tiny one beside a full one) never touch each other's files.
const runDir = join(BENCH_DIR, "run", String(process.pid));
const logDir = join(BENCH_DIR, "logs", String(process.pid));
removeLeftovers();
mkdirSync(runDir, { recursive: true });
mkdirSync(logDir, { recursive: true });

const children: ChildProcess[] = [];
const stopChildren = () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
};
process.on("exit", stopChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopChildren();
    process.exit(130);
  });
}

const pool = await loadKeyPool({ size: options.sizes.keyPool });
if (pool.generated) log(`generated ${pool.keys.length} RSA-2048 keys into ${pool.path}`);

// Both helpers are ready before the first server starts: a helper still loading its modules and
// keys would take CPU from that start, and only Outpost's (the first) would pay for it.
const loadHelper = startHelper<LoadCommands>("bench/load/generator.ts", [String(options.sizes.keyPool)], "load generator");
const bareHelper = startHelper<Record<string, never>>("bench/servers/bare-http-server.ts", [], "bare node:http server");
const [{ world, layout }, , bareReady] = await Promise.all([
  startWorld(options),
  readyEvent(loadHelper, "the load generator"),
  readyEvent(bareHelper, "the bare node:http server"),
]);
const load = loadHelper.client;
const speeds: MachineSpeed[] = [];
await calibrate("start");
const results = createResults();
const runTag = Date.now().toString(36);
const port = await freePort();
/** How long each server's step took last time, to tell whether another repetition fits. */
const lastDurations = new Map<string, number>();
const specs = await Promise.all(
  options.servers.map(async (name): Promise<TargetSpec> => {
    const spec = TARGETS.find((candidate) => candidate.name === name)!;
    return spec.bundled ? { ...spec, script: await bundleServerScript(spec.script) } : spec;
  }),
);

/** How long each server's last whole turn took, so that Outpost's later turns keep the time they need. */
const lastTurnMs = new Map<string, number>();
/** The server the targets judge, when it is in the run: its rounds keep their time, and its column gets the targets. */
const judged = specs.some((spec) => spec.name === "outpost") ? "outpost" : undefined;
const turns = turnOrder({ servers: specs.map((spec) => spec.name), rounds: options.reps });
for (const [index, { server, round }] of turns.entries()) {
  const spec = specs.find((candidate) => candidate.name === server)!;
  const turnBegan = nowMs();
  let whole = false;
  const serverDeadline = turnDeadline({
    nowMs: turnBegan,
    deadlineMs: deadline,
    later: turns.slice(index + 1),
    judged,
    lastTurnMs,
    firstGuessMs: firstGuessOfTurnMs(),
  });
  try {
    whole = await benchRound({ spec, round, serverDeadline });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${spec.label}: ${message}`);
    results.note({ server: spec.name, workload: options.workloads[0] ?? "footprint", message: `round ${round + 1} stopped: ${message}` });
  }
  // A turn cut short by the budget says nothing of what a whole one takes.
  if (whole || !lastTurnMs.has(server)) lastTurnMs.set(server, nowMs() - turnBegan);
}

for (const spec of specs) {
  for (const workload of options.workloads) {
    if (!lastDurations.has(`${spec.name}/${workload}`)) {
      results.note({ server: spec.name, workload, message: "never ran: it did not fit the time budget, or the server failed earlier (see above)" });
    }
  }
}

await calibrate("end");

const report = formatReport({
  specs: workloadSpecs({ sizes: options.sizes }),
  workloads: options.workloads,
  columns: specs.map((spec) => ({ name: spec.name, label: spec.label })),
  results,
  reps: options.reps,
  // The targets hold at the full sizes only.
  targetsFor: options.tiny ? undefined : judged,
});
const run = describeRun({ args: process.argv.slice(2), startedAt: runStartedAt, command: process.env.BENCH_COMMAND });
const speed = speeds.length === 0 ? "" : `\n${formatMachineSpeed(speeds)}`;
process.stdout.write(`\n${run}${speed}\n\n${report}\n`);
log(`done; logs in ${logDir}`);
stopChildren();
rmSync(runDir, { recursive: true, force: true });
process.exit(0);

interface BenchRoundParams {
  readonly spec: TargetSpec;
  readonly round: number;
  readonly serverDeadline: number;
}

/**
 * One round on one server: a start (measured), then each workload that fits in the server's share of the time.
 * Answers whether every workload asked for fitted.
 */
async function benchRound(params: BenchRoundParams): Promise<boolean> {
  const { spec, round, serverDeadline } = params;
  const selected = (name: WorkloadName) => options.workloads.includes(name);
  const record = (workload: WorkloadName, figure: string, value: number) =>
    results.add({ server: spec.name, workload, figure, value });
  const note = (workload: WorkloadName, message: string) => results.note({ server: spec.name, workload, message });
  const fits = (step: WorkloadName) => {
    // A step runs if it took no longer last time than is left; one that never ran goes by a rough guess.
    const last = lastDurations.get(`${spec.name}/${step}`);
    return nowMs() + (last ?? firstGuessMs(step)) <= serverDeadline;
  };
  const start = async (dataDir: string) => {
    log(`${spec.label}: round ${round + 1}: starting`);
    const target = await startTarget({
      spec,
      port,
      dataDir,
      logFile: join(logDir, `${spec.name}.log`),
      firstActor: FIRST_ACTOR,
      timeoutMs: START_TIMEOUT_MS,
    });
    log(`${spec.label}: answering WebFinger after ${target.startupMs.toFixed(0)} ms`);
    return target;
  };

  // Cheap workloads first, so that a slow server loses the costly ones to the budget, not everything.
  // The million followers come after ingest, so they do not swell its memory peak.
  const steps: Array<[WorkloadName, (ctx: WorkloadContext) => Promise<void>]> = [
    ["reads", (ctx) => runReads(ctx)],
    // Fan-out posts as the round's follow-intake actor, so its follows are made even when only fan-out is asked for.
    ["follow", (ctx) => runFollowIntake({ ctx, recordFigures: selected("follow") })],
    ["fanout", (ctx) => runFanOut({ ctx, workload: "fanout" })],
    ["ingest", (ctx) => runIngest(ctx)],
    ["collection", (ctx) => runFollowersCollection(ctx)],
    ["wide", (ctx) => runFanOut({ ctx, workload: "wide" })],
  ];
  const wanted = steps.filter(([name]) => selected(name) || (name === "follow" && selected("fanout")));
  const persistentDir = join(runDir, spec.name);

  // The start is measured on an empty data directory; the first round's start is also the one the workloads use.
  let target: RunningTarget | null = null;
  // Whether a workload asked for was left out or cut short by the budget.
  let cut = selected("footprint") && round > 0 && !fits("footprint");
  if (selected("footprint") && !cut) {
    const began = nowMs();
    const fresh = round === 0 ? persistentDir : join(runDir, `${spec.name}-fresh`);
    // A start measured while the server before it is still exiting, or the remote world is still
    // busy, measures them too: up to 930 ms against about 590 for the same start on a quiet machine.
    const waited = await waitForQuietMachine({ idleShare: 0.85, windowMs: 200, maxMs: 5_000 });
    if (waited >= 5_000) note("footprint", `round ${round + 1}: the machine was still busy when the start was measured`);
    const started = await start(fresh);
    await measureStart({ target: started, idleSeconds: options.sizes.idleSeconds, record: (figure, value) => record("footprint", figure, value) });
    if (round === 0) target = started;
    else {
      await started.stop();
      rmSync(fresh, { recursive: true, force: true });
    }
    lastDurations.set(`${spec.name}/footprint`, nowMs() - began);
  }
  if (!wanted.some(([name]) => fits(name))) {
    await target?.stop();
    if (round > 0) log(`${spec.label}: round ${round + 1}: nothing more fits in the time budget`);
    return false;
  }
  target ??= await start(persistentDir);

  try {
    await world.request("configure", { targetOrigin: target.url });
    const ctx: WorkloadContext = {
      rep: round,
      deadline: serverDeadline,
      options,
      layout,
      world,
      load,
      target,
      runTag,
      record,
      note,
      log: (message) => log(`${message} [round ${round + 1}]`),
    };
    let followDone = false;
    for (const [name, step] of wanted) {
      if (!fits(name) || (name === "fanout" && !followDone)) {
        cut = true;
        continue;
      }
      const stepBegan = nowMs();
      try {
        await step(ctx);
        if (name === "follow") followDone = true;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`${spec.label}: ${name} failed: ${message}`);
        note(name, `round ${round + 1} failed: ${message}`);
      }
      lastDurations.set(`${spec.name}/${name}`, nowMs() - stepBegan);
      if (nowMs() >= serverDeadline) cut = true;
    }
  } finally {
    await target.stop();
  }
  return !cut;
}

/** Measures how fast the machine is now (see calibration.ts); a failure is logged, not fatal. */
async function calibrate(when: MachineSpeed["when"]): Promise<void> {
  try {
    const { port: barePort } = bareReady as { port: number };
    const speed = await measureMachineSpeed({
      when,
      privateKeyPem: pool.keys[0]!.privateKeyPem,
      load,
      bareUrl: `http://127.0.0.1:${barePort}/users/bench`,
      connections: options.sizes.readConcurrency,
      seconds: options.sizes.calibrationSeconds,
    });
    speeds.push(speed);
    log(`machine speed at the ${when}: ${describeMachineSpeed(speed)}`);
  } catch (error) {
    log(`could not measure the machine's speed at the ${when}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A rough guess of a whole turn, for the time held back before one has been measured: every workload and two starts. */
function firstGuessOfTurnMs(): number {
  return options.workloads.reduce((sum, step) => sum + firstGuessMs(step), 2 * firstGuessMs("footprint"));
}

/** How long a workload may take at the least, before it has run once here. */
function firstGuessMs(step: WorkloadName): number {
  const sizes = options.sizes;
  switch (step) {
    case "reads":
      return 2 * sizes.readSeconds * 1000 + 2_000;
    case "ingest":
    case "wide":
    case "collection":
      return options.tiny ? 2_000 : 20_000;
    default:
      return options.tiny ? 1_000 : 5_000;
  }
}

/** Removes data and logs of earlier runs whose process is gone (data of a crashed run can be large). */
function removeLeftovers(): void {
  for (const parent of [join(BENCH_DIR, "run"), join(BENCH_DIR, "logs")]) {
    let entries: string[];
    try {
      entries = readdirSync(parent);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const pid = Number(entry);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) rmSync(join(parent, entry), { recursive: true, force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Starts the remote world with as many origins as the workloads need. */
async function startWorld(opts: BenchOptions): Promise<{ world: IpcClient<WorldCommands>; layout: WorldLayout }> {
  const sizes = opts.sizes;
  const worldOptions: WorldServerOptions = {
    layout: { senderOrigins: sizes.senders, followerOrigins: sizes.followerOrigins, soloOrigins: sizes.soloOrigins },
    poolSize: sizes.keyPool,
  };
  const helper = startHelper<WorldCommands>("bench/world/world-server.ts", [JSON.stringify(worldOptions)], "remote world");
  const ready = (await readyEvent(helper, "the remote world")) as WorldReady;
  log(`remote world: ${ready.origins.toLocaleString("en-US")} origins on port ${ready.port}`);
  return { world: helper.client, layout: { ...worldOptions.layout, port: ready.port } };
}

/** What a helper announces with its "ready" event; rejects if it exits first. */
function readyEvent<M extends CommandMap>(helper: { child: ChildProcess; client: IpcClient<M> }, name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    helper.client.onEvent((event, payload) => {
      if (event === "ready") resolve(payload);
    });
    helper.child.once("exit", (code) => reject(new Error(`${name} exited (${code}); see ${logDir}`)));
  });
}

/** Forks a helper script with an IPC channel, its output going to a log file. */
function startHelper<M extends CommandMap>(script: string, args: readonly string[], name: string): { child: ChildProcess; client: IpcClient<M> } {
  const logFile = join(logDir, `${script.split("/").at(-1)!.replace(/\.ts$/, "")}.log`);
  const out = createWriteStream(logFile);
  const child = fork(join(REPO_ROOT, script), [...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe", "ipc"], execArgv: [] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  children.push(child);
  return { child, client: createIpcClient<M>({ child, name }) };
}
