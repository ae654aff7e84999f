/**
 * `outpost serve`: the standalone server. The web role answers HTTP, the
 * worker role runs inbox processing and deliveries, and `all` (the default)
 * does both in one process. SIGINT or SIGTERM stops it gracefully: no new
 * requests, claimed jobs finished or released, the database closed.
 */
import { Option, type Command } from "commander";
import { serveOutpost } from "../http/node-server.ts";
import { configOf, println, type CliIo } from "./command-kit.ts";
import { startIdleCompaction } from "./idle-compaction.ts";
import { userActors } from "./lookup.ts";
import { openOutpost } from "./runtime.ts";

export const SERVE_ROLES = ["web", "worker", "all"] as const;
export type ServeRole = (typeof SERVE_ROLES)[number];

/** Registers `serve` on the program. */
export function registerServeCommand(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;
  program
    .command("serve")
    .description("run the server (creates and migrates the database on first start)")
    .addOption(
      new Option("--role <role>", "web: HTTP only; worker: background jobs only; all: both").choices(SERVE_ROLES).default("all"),
    )
    .action(async (options: { role: ServeRole }, command: Command) => {
      await serve({ command, io, role: options.role });
    });
}

async function serve(params: { readonly command: Command; readonly io: CliIo; readonly role: ServeRole }): Promise<void> {
  const { io, role } = params;
  const config = configOf({ command: params.command, io });
  // Listen for signals from the start, so one that arrives while starting still stops cleanly.
  const stopRequested = waitForStopSignal();
  const web = role !== "worker";
  const worker = role !== "web";
  const outpost = await openOutpost({
    config,
    workers: worker ? "in-process" : "none",
    defaultLogLevel: "info",
    logTo: 1,
  });

  let server: { url: string; close(): Promise<void> } | undefined;
  try {
    if (web) server = await serveOutpost({ outpost, port: config.port, hostname: config.host });
    if (worker) await outpost.start();
  } catch (error) {
    await server?.close().catch(() => undefined);
    await outpost.stop();
    throw error;
  }

  // One write, so that whoever waits for the "listening" line sees the whole banner with it.
  const banner: string[] = [];
  if (server !== undefined) {
    const under = config.prefix === "" ? "" : `, ActivityPub under ${config.prefix}`;
    banner.push(`Outpost is listening on ${server.url} (public origin ${config.origin}${under})`);
  }
  if (worker) banner.push(web ? "Background jobs run in this process." : "Running background jobs only (no HTTP).");
  if (userActors(outpost.ctx, { actors: await outpost.store.actors.listLocal() }).length === 0) {
    banner.push("There is no actor yet. Create one in another terminal:", "  npx outpost actor create alice");
  }
  io.stdout.write(`${banner.join("\n")}\n`);
  const compaction = startIdleCompaction({
    onCompacted: (report) => outpost.ctx.logger.debug({ component: "memory", ...report }, "compacted the heap while idle"),
  });

  await stopRequested;
  compaction.stop();
  println({ to: io.stdout, line: "Stopping…" });
  await server?.close();
  await outpost.stop();
  println({ to: io.stdout, line: "Stopped." });
}

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      const force = () => process.exit(130);
      process.once("SIGINT", force);
      process.once("SIGTERM", force);
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
