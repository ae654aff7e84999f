/**
 * `outpost import <file> [--force]`: loads a dump written by `outpost export`
 * into the configured database (created and migrated first), e.g. a SQLite
 * instance's data into PostgreSQL. All or nothing; an occupied database is
 * refused unless `--force`, which replaces its data with the dump's.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { importStore } from "../store/transfer/import-store.ts";
import { CliError } from "./cli-error.ts";
import { configOf, println, type CliIo } from "./command-kit.ts";
import { databaseLocation, openCliStore } from "./runtime.ts";
import { progressBars } from "./progress-bars.ts";

/** Registers `import` on the program. */
export function registerImportCommand(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;
  program
    .command("import")
    .description("load a dump written by `outpost export` into this database")
    .argument("<file>", "the dump")
    .option("--force", "replace the data of a database that is not empty")
    .action(async (input: string, options: { force?: boolean }, command: Command) => {
      const config = configOf({ command, io });
      const file = resolve(io.cwd, input);
      let size: number;
      try {
        size = (await stat(file)).size;
      } catch (error) {
        throw new CliError({ reason: "notFound", message: `cannot read ${file}: ${(error as Error).message}`, cause: error });
      }
      const store = await openCliStore({ config });
      const stream = createReadStream(file, { encoding: "utf8" });
      const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      // Taken at once: readline emits lines as soon as it exists, and only an iterator keeps them until they are read.
      const pending = lines[Symbol.asyncIterator]();
      const bar =
        io.stdout.isTTY === true
          ? new (progressBars().SingleBar)({
              stream: io.stdout,
              format: "Importing {bar} {percentage}% ({table}: {rows} rows)",
              hideCursor: true,
              clearOnComplete: true,
            })
          : undefined;
      bar?.start(size, 0, { table: "", rows: 0 });
      try {
        const result = await importStore({
          store,
          lines: { [Symbol.asyncIterator]: () => pending },
          force: options.force === true,
          onProgress: (progress) => bar?.update(stream.bytesRead, { table: progress.table, rows: progress.rows }),
        });
        bar?.update(size);
        bar?.stop();
        if (!result.ok) {
          throw new CliError({ reason: result.reason === "badDump" ? "invalidArgument" : "rejected", message: result.message });
        }
        const total = Object.values(result.rows).reduce((sum, n) => sum + n, 0);
        const limited = result.header.actors === null ? "" : ` (limited to ${result.header.actors.join(", ")})`;
        println({
          to: io.stdout,
          line: `Imported ${total} rows of ${Object.keys(result.rows).length} tables${limited} into the database ${databaseLocation({ config })}.`,
        });
      } finally {
        bar?.stop();
        lines.close();
        stream.destroy();
        await store.close();
      }
    });
}
