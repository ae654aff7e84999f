/**
 * `outpost user …`: the people who log in to the client API. A password is
 * never taken as an argument (it would land in shell history and process
 * lists): it is asked for on a terminal, or read from standard input.
 */
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import type { Command } from "commander";
import { createAccountContext, type AccountContext } from "../federation/accounts/account-context.ts";
import { changePassword, createUser, deleteUser } from "../federation/accounts/users.ts";
import type { Outpost } from "../outpost.ts";
import { sqlAccountStoreOf } from "../store/sql-account-store.ts";
import { CliError } from "./cli-error.ts";
import { println, withCommandOutpost, type CliIo } from "./command-kit.ts";
import { formatTable } from "./table.ts";

/** The most read from standard input for a password. */
const MAX_PASSWORD_INPUT = 4096;

/** Parameters of {@link accountContextOf}. */
export interface AccountContextOfParams {
  readonly outpost: Outpost;
}

/** The account context over an Outpost's store; a clear error when the store keeps no accounts. */
export function accountContextOf(params: AccountContextOfParams): AccountContext {
  const { outpost } = params;
  const accounts = sqlAccountStoreOf(outpost.store);
  if (accounts === null) {
    throw new CliError({ reason: "invalidConfig", message: "this store keeps no user accounts (they need the SQL store)" });
  }
  return createAccountContext({ accounts, logger: outpost.ctx.logger, now: outpost.ctx.now });
}

/** Parameters of {@link readPassword}. */
export interface ReadPasswordParams {
  readonly io: CliIo;
  /** Read standard input even on a terminal. */
  readonly fromStdin: boolean;
}

/**
 * A new password: asked twice without echo on a terminal, else the whole of
 * standard input without its final line break.
 */
export async function readPassword(params: ReadPasswordParams): Promise<string> {
  const { io } = params;
  if (params.fromStdin || io.stdin.isTTY !== true) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of io.stdin) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > MAX_PASSWORD_INPUT) throw new CliError({ reason: "invalidArgument", message: "the password read from standard input is too long" });
      chunks.push(buffer);
    }
    const password = Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
    if (password === "") throw new CliError({ reason: "invalidArgument", message: "no password on standard input" });
    return password;
  }
  const first = await askHidden(io, "Password: ");
  const second = await askHidden(io, "Repeat password: ");
  if (first !== second) throw new CliError({ reason: "invalidArgument", message: "the passwords do not match" });
  return first;
}

/** Asks on the terminal without showing what is typed. */
async function askHidden(io: CliIo, question: string): Promise<string> {
  io.stdout.write(question);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const prompt = createInterface({ input: io.stdin, output: muted, terminal: true });
  try {
    return await prompt.question("");
  } finally {
    prompt.close();
    io.stdout.write("\n");
  }
}

/** Registers `user create|list|passwd|delete` on the program. */
export function registerUserCommands(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;
  const user = program.command("user").description("manage the users who log in to the client API");

  user
    .command("create <name>")
    .description("create a user (asks for a password, or reads it from standard input)")
    .option("--admin", "make the user an admin (may manage every actor and introspect tokens)")
    .option("--password-stdin", "read the password from standard input")
    .action(async (name: string, options: { admin?: boolean; passwordStdin?: boolean }, command: Command) => {
      const password = await readPassword({ io, fromStdin: options.passwordStdin === true });
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const result = await createUser(accountContextOf({ outpost }), { username: name, password, admin: options.admin === true });
          if (!result.ok) throw new CliError({ reason: "rejected", message: result.message });
          println({ to: io.stdout, line: `Created ${result.user.admin ? "admin " : ""}user ${result.user.username}.` });
          println({ to: io.stdout, line: `Get a token with \`outpost token create ${result.user.username} --scopes read,write,follow\`.` });
        },
      });
    });

  user
    .command("list")
    .description("list users and the actors each manages")
    .action(async (_options: unknown, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const ac = accountContextOf({ outpost });
          const users = await ac.accounts.users.list();
          if (users.length === 0) {
            println({ to: io.stdout, line: "No users yet. Create one with `outpost user create <name> --admin`." });
            return;
          }
          const rows: string[][] = [];
          for (const record of users) {
            const actors = await ac.accounts.users.actorsOf(record.id);
            const names = actors.map((uri) => decodeURIComponent(uri.slice(uri.lastIndexOf("/") + 1)));
            rows.push([record.username, record.admin ? "yes" : "no", record.createdAt.slice(0, 10), names.join(", ") || "-"]);
          }
          println({ to: io.stdout, line: formatTable({ header: ["USERNAME", "ADMIN", "CREATED", "ACTORS"], rows }) });
        },
      });
    });

  user
    .command("passwd <name>")
    .description("set a new password (every token of the user is revoked)")
    .option("--password-stdin", "read the password from standard input")
    .action(async (name: string, options: { passwordStdin?: boolean }, command: Command) => {
      const password = await readPassword({ io, fromStdin: options.passwordStdin === true });
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const result = await changePassword(accountContextOf({ outpost }), { username: name, password });
          if (!result.ok) throw new CliError({ reason: result.reason === "userNotFound" ? "notFound" : "rejected", message: result.message });
          println({ to: io.stdout, line: `Password of ${result.user.username} changed; ${result.revokedTokens} token(s) revoked.` });
        },
      });
    });

  user
    .command("delete <name>")
    .description("delete a user and revoke its tokens (its actors stay)")
    .action(async (name: string, _options: unknown, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const result = await deleteUser(accountContextOf({ outpost }), { username: name });
          if (!result.ok) throw new CliError({ reason: "notFound", message: result.message });
          println({ to: io.stdout, line: `Deleted user ${result.user.username}; ${result.revokedTokens} token(s) revoked.` });
          if (result.releasedActors.length > 0) {
            println({ to: io.stdout, line: `These actors have no manager now: ${result.releasedActors.join(", ")}` });
          }
        },
      });
    });
}
