/**
 * Opens an Outpost for a command from the validated configuration: the data
 * directory, the logger and the store, with workers or without. One-shot
 * commands log warnings only (to stderr, so their output stays clean);
 * `serve` logs at info to stdout.
 *
 * On PostgreSQL, several processes (web and worker roles, one-shot commands)
 * may share the database, so rate limits count in the database too.
 */
import { mkdir } from "node:fs/promises";
import pino, { type Logger } from "pino";
import type { FederationConfig } from "../federation/context.ts";
import type { WorkerConfig } from "../federation/queue/worker.ts";
import { createOutpost, type Outpost } from "../outpost.ts";
import { createSqlStore, type SqlStore } from "../store/sql-store.ts";
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

/** The configuration whose database to open. */
export interface OpenCliStoreParams {
  readonly config: CliConfig;
}

/**
 * Opens (and migrates) the configured store: SQLite in the data directory,
 * created when needed, or PostgreSQL with the configured schema and pool.
 */
export async function openCliStore(params: OpenCliStoreParams): Promise<SqlStore> {
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
    return await createSqlStore({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.databasePoolSize,
      ...(config.databaseSchema === undefined ? {} : { schema: config.databaseSchema }),
    });
  } catch (error) {
    throw new CliError({
      reason: "rejected",
      message: `cannot open the database ${databaseLocation({ config })}: ${(error as Error).message}`,
      cause: error,
    });
  }
}

/** Where the configured database is, for messages. */
export function databaseLocation(params: OpenCliStoreParams): string {
  const { config } = params;
  if (usesSqlite({ config })) return `in ${config.dataDir}`;
  return config.databaseSchema === undefined ? "at OUTPOST_DATABASE_URL" : `at OUTPOST_DATABASE_URL (schema ${config.databaseSchema})`;
}

/** Opens the store, then an Outpost over it; stopping the Outpost closes the store. */
export async function openOutpost(params: OpenOutpostParams): Promise<Outpost> {
  const { config } = params;
  const store = await openCliStore({ config });
  // Settings of the worker that the federation config carries through to it.
  const federation: Partial<FederationConfig> & WorkerConfig = {
    allowPrivateAddresses: config.allowPrivateAddresses,
    ...(config.jobLeaseMs === undefined ? {} : { jobLeaseMs: config.jobLeaseMs }),
  };
  let outpost: Outpost;
  try {
    outpost = await createOutpost({
      origin: config.origin,
      prefix: config.prefix,
      store,
      logger: createCliLogger({ level: config.logLevel ?? params.defaultLogLevel, fd: params.logTo }),
      config: federation,
      workers: params.workers,
      inboxThread: config.inboxThread,
      trustProxy: config.trustProxy,
      dataDir: config.dataDir,
      ...(config.chatPost === undefined ? {} : { chatPost: config.chatPost }),
    });
  } catch (error) {
    await store.close();
    throw new CliError({
      reason: "rejected",
      message: `cannot open the database ${databaseLocation({ config })}: ${(error as Error).message}`,
      cause: error,
    });
  }
  return {
    ...outpost,
    async stop() {
      try {
        await outpost.stop();
      } finally {
        await store.close();
      }
    },
  };
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
