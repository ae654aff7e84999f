/**
 * Runs the real `outpost` executable as a child process, for the command
 * line's own tests: one-shot commands to completion, and `serve` until the
 * test stops it. The child gets a clean environment (no OUTPOST_* variables
 * of the caller's) plus what the test passes.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The executable under test. */
export const BIN_PATH = fileURLToPath(new URL("../../bin/outpost.js", import.meta.url));

/** How a finished command ended. */
export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command line and the variables to run it with. */
export interface RunOutpostParams {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The command is killed past this (a hang fails the test instead of stalling it). */
  readonly timeoutMs?: number;
}

function childEnv(extra: Readonly<Record<string, string>>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("OUTPOST_") && name !== "PORT" && name !== "HOST") env[name] = value;
  }
  return { ...env, OUTPOST_LOG_LEVEL: "warn", ...extra };
}

/** Runs `outpost <args>` to completion. */
export function runOutpost(params: RunOutpostParams): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN_PATH, ...params.args],
      { env: childEnv(params.env), timeout: params.timeoutMs ?? 30_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") {
          reject(new Error(`outpost ${params.args.join(" ")} did not finish: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

/** A running `outpost serve`. */
export interface RunningServer {
  /** Where it listens, as it printed it. */
  readonly url: string;
  /** Everything it printed to stdout so far. */
  stdout(): string;
  /** Sends SIGTERM and resolves to the exit code. */
  stop(): Promise<number>;
}

/** Starts `outpost serve <args>` and resolves once it printed where it listens. */
export function startOutpostServer(params: RunOutpostParams): Promise<RunningServer> {
  const child = spawn(process.execPath, [BIN_PATH, "serve", ...params.args], {
    env: childEnv(params.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));

  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`outpost serve did not start in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, params.timeoutMs ?? 30_000);
    const onData = () => {
      const match = /listening on (\S+)/.exec(stdout);
      if (match === null) return;
      clearTimeout(timeout);
      child.stdout.off("data", onData);
      resolve({ url: match[1] ?? "", stdout: () => stdout, stop: () => stopChild(child, exited) });
    };
    child.stdout.on("data", onData);
    exited.then((code) => {
      clearTimeout(timeout);
      reject(new Error(`outpost serve exited with ${code} before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number>): Promise<number> {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  return exited;
}
