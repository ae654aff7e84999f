/**
 * `outpost migrate`: brings the database schema up to date without starting
 * the server, e.g. as a deployment step before the new version starts.
 */
import type { Command } from "commander";
import { configOf, println, type CliIo } from "./command-kit.ts";
import { usesSqlite, withOutpost } from "./runtime.ts";

/** Registers `migrate` on the program. */
export function registerMigrateCommand(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;
  program
    .command("migrate")
    .description("create the database or bring its schema up to date")
    .action(async (_options: unknown, command: Command) => {
      const config = configOf({ command, io });
      // Opening the store runs every pending migration.
      await withOutpost({ config, workers: "none", defaultLogLevel: "warn", logTo: 2, run: async () => undefined });
      const where = usesSqlite({ config }) ? `SQLite in ${config.dataDir}` : "PostgreSQL";
      println({ to: io.stdout, line: `The database is up to date (${where}).` });
    });
}
