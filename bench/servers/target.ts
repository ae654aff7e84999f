/**
 * Starting and driving a server under test from the orchestrator: spawn its
 * script, time how long until it answers WebFinger, and call its control API.
 */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { nowMs, sleep } from "../clock.ts";
import { BENCH_DIR, REPO_ROOT } from "../paths.ts";
import type { ControlApi, ServerLaunchOptions, ServerReady } from "./control-protocol.ts";

/** The servers the bench compares. */
export type TargetName = "outpost" | "fedify";

/** What the orchestrator knows about each server. */
export interface TargetSpec {
  readonly name: TargetName;
  readonly label: string;
  readonly script: string;
  /** Keeps remote posts only from actors a local actor follows, so ingest needs follows first. */
  readonly keepsFollowedPostsOnly: boolean;
  /** Node.js flags the server runs with by default. */
  readonly nodeFlags: readonly string[];
  /** Run from a bundle of its own modules (bundle-server.ts), as `outpost` runs. */
  readonly bundled: boolean;
}

/**
 * The flags `npm start` runs Outpost's server with (package.json): a young
 * generation of at most 3 × 16 MB. Node's default lets it grow past 120 MB
 * under sustained load, which is most of a busy server's resident memory.
 */
export const OUTPOST_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=16", "--heap-growing-percent=50"];

/** The two servers, Outpost first. */
export const TARGETS: readonly TargetSpec[] = [
  {
    name: "outpost",
    label: "Outpost",
    script: join(REPO_ROOT, "bench/servers/outpost-server.ts"),
    keepsFollowedPostsOnly: true,
    // `outpost serve` loads Kysely and zod from their bundles (bin/outpost.js imports this module first).
    nodeFlags: [...OUTPOST_NODE_FLAGS, "--import", join(REPO_ROOT, "bin/bundled-dependencies.js")],
    bundled: true,
  },
  // Fedify has no launcher of its own: it runs with Node's defaults.
  { name: "fedify", label: "Fedify", script: join(REPO_ROOT, "bench/servers/fedify-server.ts"), keepsFollowedPostsOnly: false, nodeFlags: [], bundled: false },
];

/** A started server. */
export interface RunningTarget {
  readonly spec: TargetSpec;
  readonly url: string;
  readonly pid: number;
  /** From spawning the process to the first 200 answer to WebFinger. */
  readonly startupMs: number;
  control<R extends keyof ControlApi>(route: R, body: ControlApi[R]["body"], query?: Record<string, string>): Promise<ControlApi[R]["result"]>;
  stop(): Promise<void>;
}

/** Parameters of {@link startTarget}. */
export interface StartTargetParams {
  readonly spec: TargetSpec;
  /** Every server of a run listens on the same port, so signed requests are valid for each. */
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string;
  readonly firstActor: string;
  readonly timeoutMs: number;
}

/** Starts the server script and waits until it answers WebFinger for its first actor and its control port is up. */
export async function startTarget(params: StartTargetParams): Promise<RunningTarget> {
  const { spec, firstActor } = params;
  const port = params.port;
  const token = randomBytes(24).toString("base64url");
  const launch: ServerLaunchOptions = { port, dataDir: params.dataDir, controlToken: token, firstActor };
  mkdirSync(params.dataDir, { recursive: true });
  const log = createWriteStream(params.logFile, { flags: "a" });

  const spawnedAt = nowMs();
  const child = fork(spec.script, [JSON.stringify(launch)], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    // Both servers keep Node's compile cache, as `outpost serve` does: a start
    // then compiles (and strips the types of) only what changed since the last.
    env: { ...process.env, NODE_COMPILE_CACHE: join(BENCH_DIR, "compile-cache") },
    // BENCH_CPU_PROF=1 writes a V8 CPU profile of each server process into .bench/profiles/.
    execArgv: [
      ...spec.nodeFlags,
      ...(process.env.BENCH_CPU_PROF === "1" ? ["--cpu-prof", `--cpu-prof-dir=${join(BENCH_DIR, "profiles")}`] : []),
    ],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const ready = readyMessage(child, spec.label);
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) => reject(new Error(`${spec.label} exited during start (${signal ?? code}); see ${params.logFile}`))),
  );
  exited.catch(() => {});
  const url = `http://127.0.0.1:${port}`;
  const webfinger = `${url}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${firstActor}@127.0.0.1:${port}`)}`;
  const answeredAt = await Promise.race([pollUntilOk(webfinger, spawnedAt + params.timeoutMs), exited]);
  const { controlPort } = await Promise.race([ready, exited]);

  const control: RunningTarget["control"] = async (route, body, query) => {
    const [method, path] = route.split(" ") as [string, string];
    const search = query === undefined ? "" : `?${new URLSearchParams(query).toString()}`;
    const response = await fetch(`http://127.0.0.1:${controlPort}${path}${search}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === null ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(600_000),
    });
    const answer = (await response.json()) as { error?: string };
    if (!response.ok) throw new Error(`${spec.label} ${route}: ${answer.error ?? response.status}`);
    return answer as never;
  };

  return {
    spec,
    url,
    pid: child.pid!,
    startupMs: answeredAt - spawnedAt,
    control,
    stop: () => stopChild(child),
  };
}

function readyMessage(child: ChildProcess, label: string): Promise<ServerReady> {
  return new Promise((resolve, reject) => {
    child.on("message", (raw: unknown) => {
      const message = raw as { kind?: string; event?: string; payload?: ServerReady };
      if (message.kind === "event" && message.event === "ready" && message.payload !== undefined) resolve(message.payload);
    });
    child.once("error", (error) => reject(new Error(`${label}: ${error.message}`)));
  });
}

async function pollUntilOk(url: string, deadline: number): Promise<number> {
  while (nowMs() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return nowMs();
    } catch {
      // Not listening yet.
    }
    await sleep({ ms: 5 });
  }
  throw new Error(`no answer from ${url} in time`);
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Asks the child to end (SIGTERM), and insists after a while. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
