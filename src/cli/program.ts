/**
 * The `outpost` command: global configuration flags, one family of
 * subcommands per file, and the single place that turns errors into
 * messages and exit codes (0 ok, 1 failed, 2 bad usage or configuration).
 */
import { Command, CommanderError } from "commander";
import packageJson from "../../package.json" with { type: "json" };
import { registerActorCommands } from "./actor.ts";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "./cli-error.ts";
import { println, type CliIo } from "./command-kit.ts";
import { registerExportCommand } from "./export.ts";
import { registerFollowerCommands } from "./follower.ts";
import { registerImportCommand } from "./import.ts";
import { registerJobsCommands } from "./jobs.ts";
import { registerMigrateCommand } from "./migrate.ts";
import { registerPostCommands } from "./post.ts";
import { registerServeCommand } from "./serve.ts";
import { registerSocialCommands } from "./social.ts";
import { registerTokenCommands } from "./token.ts";
import { registerUserCommands } from "./user.ts";

/** Builds the command tree; actions run against `io`. */
export function buildProgram(params: { readonly io: CliIo }): Command {
  const { io } = params;
  const program = new Command("outpost")
    .description("An ActivityPub server and toolkit.")
    .version(packageJson.version, "-V, --version")
    .option("--origin <url>", "public origin, e.g. https://social.example [env OUTPOST_ORIGIN]")
    .option("--port <number>", "port to listen on [env PORT]")
    .option("--host <address>", "address to listen on [env HOST]")
    .option("--data-dir <path>", "where the SQLite database lives [env OUTPOST_DATA_DIR]")
    .option("--database-url <url>", "a postgres:// URL to use PostgreSQL instead of SQLite [env OUTPOST_DATABASE_URL]")
    .option("--verbose", "show stack traces of errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  registerServeCommand({ program, io });
  registerMigrateCommand({ program, io });
  registerExportCommand({ program, io });
  registerImportCommand({ program, io });
  registerJobsCommands({ program, io });
  registerActorCommands({ program, io });
  registerFollowerCommands({ program, io });
  registerPostCommands({ program, io });
  registerSocialCommands({ program, io });
  registerUserCommands({ program, io });
  registerTokenCommands({ program, io });
  // Subcommands report usage errors through the same override as the program.
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

/** Runs the command line `argv` (without node and script) and resolves to the exit code. */
export async function runCli(params: { readonly argv: readonly string[]; readonly io: CliIo }): Promise<number> {
  const { io } = params;
  const program = buildProgram({ io });
  try {
    await program.parseAsync([...params.argv], { from: "user" });
    return 0;
  } catch (error) {
    const verbose = params.argv.includes("--verbose");
    if (error instanceof CommanderError) {
      // Commander already printed the message (or the help or version).
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      println({ to: io.stderr, line: `outpost: ${error.message}` });
      if (verbose && error.cause !== undefined) {
        println({ to: io.stderr, line: String((error.cause as Error).stack ?? error.cause) });
      }
      return error.exitCode;
    }
    println({ to: io.stderr, line: `outpost: unexpected error: ${(error as Error).message ?? String(error)}` });
    println({ to: io.stderr, line: verbose ? String((error as Error).stack ?? "") : "(run with --verbose for details)" });
    return EXIT_FAILURE;
  }
}
