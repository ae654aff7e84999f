/**
 * The entry point of the `outpost` executable: runs the command line of this
 * process and exits with its code. Exiting explicitly keeps a forgotten timer
 * or connection from holding a finished command open.
 */
import { runCli } from "./program.ts";

const code = await runCli({
  argv: process.argv.slice(2),
  io: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() },
});
process.exit(code);
