/**
 * What every command shares: the streams it talks to, its configuration read
 * from flags and environment, an Outpost opened for the command, and the
 * step that turns an action's result into output, deliveries and an exit.
 */
import type { Command } from "commander";
import type { Outpost } from "../outpost.ts";
import { CliError } from "./cli-error.ts";
import { resolveCliConfig, type CliConfig, type ConfigFlags } from "./config.ts";
import { describeDeliveries, runDeliveries, type DeliveryReport } from "./deliveries.ts";
import { withOutpost } from "./runtime.ts";

/** The process around a command; tests and embedders may pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** A line of output. */
export interface PrintlnParams {
  readonly to: NodeJS.WritableStream;
  readonly line?: string;
}

/** Writes one line to a stream. */
export function println(params: PrintlnParams): void {
  params.to.write(`${params.line ?? ""}\n`);
}

/** The command whose configuration is wanted, and the process it runs in. */
export interface CommandScope {
  readonly command: Command;
  readonly io: CliIo;
}

/** The configuration of a command: its own and the program's flags over the environment. */
export function configOf(params: CommandScope): CliConfig {
  const { command, io } = params;
  const flags = command.optsWithGlobals<ConfigFlags>();
  const result = resolveCliConfig({ flags, env: io.env, cwd: io.cwd });
  if (!result.ok) throw new CliError({ reason: result.reason, message: result.message });
  return result.config;
}

/** What a one-shot command does with its Outpost. */
export interface WithCommandOutpostParams<T> extends CommandScope {
  readonly run: (outpost: Outpost) => Promise<T>;
}

/** Runs a one-shot command with an Outpost (no workers started; logs errors to stderr, more with --verbose). */
export async function withCommandOutpost<T>(params: WithCommandOutpostParams<T>): Promise<T> {
  const config = configOf(params);
  // Delivery problems are summed up in the command's own output; the log adds detail only on request.
  const verbose = params.command.optsWithGlobals<{ verbose?: boolean }>().verbose === true;
  const defaultLogLevel = verbose ? "info" : "error";
  return withOutpost({ config, workers: "in-process", defaultLogLevel, logTo: 2, run: params.run });
}

/** A federation action's result, as every outbox verb returns it. */
export type ActionResult =
  | ({ readonly ok: true } & Readonly<Record<string, unknown>>)
  | { readonly ok: false; readonly reason: string; readonly message: string };

/** What {@link finishAction} reports. */
export interface FinishActionParams {
  readonly outpost: Outpost;
  readonly io: CliIo;
  readonly result: ActionResult;
  /** Printed on success, before the deliveries run. */
  readonly success: (result: Readonly<Record<string, unknown>>) => readonly string[];
  /** Say nothing about deliveries when there were none (activities that are never sent, like Block). */
  readonly quietWithoutDeliveries?: boolean;
}

/**
 * Turns an action's failure into a {@link CliError}; on success prints its
 * lines, then delivers the activity (when it made one) from this process.
 */
export async function finishAction(params: FinishActionParams): Promise<DeliveryReport | null> {
  const { result, io } = params;
  if (!result.ok) {
    throw new CliError({ reason: "rejected", message: `${result.message} (${result.reason})` });
  }
  for (const line of params.success(result)) println({ to: io.stdout, line });
  const activityUri = typeof result.activityUri === "string" ? result.activityUri : undefined;
  if (activityUri === undefined) {
    // Nothing was published (e.g. a Block, which is never delivered); local work may still be queued.
    await params.outpost.runJobsUntilIdle();
    return null;
  }
  const report = await runDeliveries({ outpost: params.outpost, activityUri, output: io.stdout });
  if (report.total > 0 || params.quietWithoutDeliveries !== true) println({ to: io.stdout, line: describeDeliveries(report) });
  return report;
}
