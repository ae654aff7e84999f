/**
 * Opens an Outpost for a command from the validated configuration: the data
 * directory, the logger and the store, with workers or without. One-shot
 * commands log warnings only (to stderr, so their output stays clean);
 * `serve` logs at info to stdout.
 */
import { mkdir } from "node:fs/promises";
import pino, { type Logger } from "pino";
import { createOutpost, type Outpost } from "../outpost.ts";
import { CliError } from "./cli-error.ts";
import type { CliConfig, LogLevel } from "./config.ts";

/** How a command wants its Outpost. */
export interface OpenOutpostParams {
  readonly config: CliConfig;
  /** "in-process" runs inbox and delivery workers once started. */
  readonly workers: "in-process" | "none";
  /** Used when OUTPOST_LOG_LEVEL is not set. */
  readonly defaultLogLevel: LogLevel;
  /** File descriptor logs go to: 1 (stdout) for servers, 2 (stderr) for one-shot commands. */
  readonly logTo: 1 | 2;
}

/** The level and destination of a command's log. */
export interface CliLoggerParams {
  readonly level: LogLevel;
  /** 1 (stdout) or 2 (stderr). */
  readonly fd: 1 | 2;
}

/** Builds the logger commands use. */
export function createCliLogger(params: CliLoggerParams): Logger {
  return pino({ level: params.level, base: { name: "outpost" } }, pino.destination({ dest: params.fd, sync: true }));
}

/** Whether the configuration stores data in SQLite (in the data directory). */
export function usesSqlite(params: { readonly config: CliConfig }): boolean {
  return params.config.databaseUrl === undefined;
}

/** Creates the data directory when needed and opens the store (which migrates it). */
export async function openOutpost(params: OpenOutpostParams): Promise<Outpost> {
  const { config } = params;
  if (usesSqlite({ config })) {
    try {
      await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new CliError({
        reason: "invalidConfig",
        message: `cannot create the data directory ${config.dataDir}: ${(error as Error).message}`,
        cause: error,
      });
    }
  }
  try {
    return await createOutpost({
      origin: config.origin,
      prefix: config.prefix,
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      logger: createCliLogger({ level: config.logLevel ?? params.defaultLogLevel, fd: params.logTo }),
      config: { allowPrivateAddresses: config.allowPrivateAddresses },
      workers: params.workers,
      trustProxy: config.trustProxy,
    });
  } catch (error) {
    const where = usesSqlite({ config }) ? `in ${config.dataDir}` : "at OUTPOST_DATABASE_URL";
    throw new CliError({
      reason: "rejected",
      message: `cannot open the database ${where}: ${(error as Error).message}`,
      cause: error,
    });
  }
}

/** An Outpost to open and what to do with it. */
export interface WithOutpostParams<T> extends OpenOutpostParams {
  readonly run: (outpost: Outpost) => Promise<T>;
}

/** Runs `run` with an open Outpost and always stops it afterwards. */
export async function withOutpost<T>(params: WithOutpostParams<T>): Promise<T> {
  const outpost = await openOutpost(params);
  try {
    return await params.run(outpost);
  } finally {
    await outpost.stop();
  }
}
