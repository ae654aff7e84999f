/**
 * `outpost export [--out file] [<actor>…]`: dumps the instance's data (or
 * some local actors' part of it) as JSON lines, to move it to another
 * database (`outpost import`), e.g. from SQLite to PostgreSQL as an instance
 * grows. The dump holds private keys and password hashes: the file is created
 * readable by its owner only.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { resolve } from "node:path";
import type { Writable } from "node:stream";
import type { Command } from "commander";
import type { SqlStore } from "../store/sql-store.ts";
import { exportStore, type ExportResult, type TransferProgress } from "../store/transfer/export-store.ts";
import { CliError } from "./cli-error.ts";
import { configOf, println, type CliIo } from "./command-kit.ts";
import type { CliConfig } from "./config.ts";
import { databaseLocation, openCliStore } from "./runtime.ts";
import { progressBars } from "./progress-bars.ts";

/** Registers `export` on the program. */
export function registerExportCommand(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;
  program
    .command("export")
    .description("write the instance's data (or some local actors') as JSON lines, for `outpost import`")
    .argument("[actors...]", "only these local actors (username or URI) and what belongs to them")
    .option("--out <file>", "write to this file (created with mode 600) instead of standard output")
    .action(async (actors: string[], options: { out?: string }, command: Command) => {
      const config = configOf({ command, io });
      const store = await openCliStore({ config });
      try {
        const actorUris = await resolveLocalActors({ store, config, inputs: actors });
        const file = options.out === undefined ? undefined : resolve(io.cwd, options.out);
        const result =
          file === undefined
            ? await exportTo({ store, out: io.stdout, io, actorUris })
            : await exportToFile({ store, file, io, actorUris });
        // A dump on standard output must stay pure JSON lines: the report then goes to stderr.
        const to = file === undefined ? io.stderr : io.stdout;
        for (const skipped of result.skipped) println({ to, line: `Left out ${skipped.table}: ${skipped.message}.` });
        const total = Object.values(result.rows).reduce((sum, n) => sum + n, 0);
        const where = file === undefined ? "" : ` to ${file}`;
        println({ to, line: `Exported ${total} rows of ${Object.keys(result.rows).length} tables ${databaseLocation({ config })}${where}.` });
      } finally {
        await store.close();
      }
    });
}

/** Where a dump goes and what it holds. */
interface ExportToParams {
  readonly store: SqlStore;
  readonly out: Writable;
  readonly io: CliIo;
  readonly actorUris: readonly string[];
}

async function exportTo(params: ExportToParams): Promise<ExportResult & { ok: true }> {
  const progress = startProgress({ io: params.io });
  try {
    const result = await exportStore({
      store: params.store,
      out: params.out,
      actorUris: params.actorUris,
      onProgress: progress.update,
    });
    return okOrThrow(result);
  } finally {
    progress.stop();
  }
}

async function exportToFile(params: Omit<ExportToParams, "out"> & { readonly file: string }): Promise<ExportResult & { ok: true }> {
  // Written beside the target and renamed at the end, so a failed export never leaves a dump that looks whole.
  const partial = `${params.file}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  try {
    const result = await exportTo({ ...params, out });
    out.end();
    await once(out, "finish");
    await rename(partial, params.file);
    return result;
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

function okOrThrow(result: ExportResult): ExportResult & { ok: true } {
  if (!result.ok) throw new CliError({ reason: "notFound", message: result.message });
  return result;
}

/** A progress bar on stderr when it is a terminal (stdout may be carrying the dump). */
function startProgress(params: { readonly io: CliIo }): { update: (progress: TransferProgress) => void; stop: () => void } {
  if (params.io.stderr.isTTY !== true) return { update: () => {}, stop: () => {} };
  const bar = new (progressBars().SingleBar)({
    stream: params.io.stderr,
    format: "Exporting {bar} {value}/{total} rows ({table})",
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(0, 0, { table: "" });
  return {
    update(progress) {
      // The total is known once the rows are counted, which the first report carries.
      if (bar.getTotal() !== progress.total) bar.setTotal(progress.total);
      bar.update(progress.done, { table: progress.table });
    },
    stop: () => bar.stop(),
  };
}

/** The URIs of the local actors named on the command line (`alice`, `@alice@host` or a URI). */
async function resolveLocalActors(params: {
  readonly store: SqlStore;
  readonly config: CliConfig;
  readonly inputs: readonly string[];
}): Promise<string[]> {
  const host = new URL(params.config.origin).host.toLowerCase();
  const uris: string[] = [];
  for (const input of params.inputs) {
    const trimmed = input.trim();
    let actor;
    if (/^https?:\/\//i.test(trimmed)) {
      actor = await params.store.actors.get(trimmed);
    } else {
      const [username = "", actorHost] = trimmed.replace(/^@/, "").split("@");
      if (actorHost !== undefined && actorHost.toLowerCase() !== host) {
        throw new CliError({ reason: "invalidArgument", message: `${input} is not an account of this server (${host})` });
      }
      actor = await params.store.actors.getLocal(username);
    }
    if (actor === null || !actor.local) {
      throw new CliError({ reason: "notFound", message: `there is no local actor ${JSON.stringify(input)} (list them with \`outpost actor list\`)` });
    }
    uris.push(actor.uri);
  }
  return uris;
}
