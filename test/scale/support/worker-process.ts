/**
 * `outpost serve --role worker` (or `web`) as a child process of a test or
 * benchmark: the real executable, configured only through its environment
 * (no OUTPOST_* variable of the caller's leaks in), started and stopped the
 * way an init system would: SIGTERM to stop, SIGKILL to simulate a crash.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN_PATH = fileURLToPath(new URL("../../../bin/outpost.js", import.meta.url));

/** Parameters of {@link startServeProcess}. */
export interface StartServeProcessParams {
  readonly role: "web" | "worker" | "all";
  /** OUTPOST_* settings and the like. */
  readonly env: Readonly<Record<string, string>>;
  /** The child is killed and the start fails past this. */
  readonly timeoutMs?: number;
}

/** A running `outpost serve`. */
export interface ServeProcess {
  readonly pid: number;
  /** Where a web process listens (`http://…`); undefined for a worker. */
  readonly url: string | undefined;
  /** What it printed so far. */
  output(): string;
  /** SIGKILL: dies at once, with whatever it held. */
  kill(): Promise<void>;
  /** SIGTERM, then the exit code once it has exited. */
  stop(): Promise<number>;
}

/** The line the server prints once it is ready, per role. */
const READY: Readonly<Record<StartServeProcessParams["role"], RegExp>> = {
  web: /listening on (\S+)/,
  worker: /Running background jobs only/,
  all: /listening on (\S+)/,
};

function childEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("OUTPOST_") && name !== "PORT" && name !== "HOST") env[name] = value;
  }
  return { ...env, OUTPOST_LOG_LEVEL: "warn", ...extra };
}

/** Starts `outpost serve --role <role>` and resolves once it says it is ready. */
export function startServeProcess(params: StartServeProcessParams): Promise<ServeProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN_PATH, "serve", "--role", params.role], {
    env: childEnv(params.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128))));
  const pid = child.pid ?? -1;

  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`outpost serve --role ${params.role} did not start in time:\n${output}`));
    }, params.timeoutMs ?? 30_000);
    const onData = () => {
      const match = READY[params.role].exec(output);
      if (match === null) return;
      clearTimeout(timeout);
      child.stdout?.off("data", onData);
      resolve({
        pid,
        url: match[1],
        output: () => output,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          await exited;
        },
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          return exited;
        },
      });
    };
    child.stdout?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timeout);
      reject(new Error(`outpost serve --role ${params.role} exited with ${code} before it was ready:\n${output}`));
    });
  });
}
