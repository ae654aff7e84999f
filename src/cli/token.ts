/**
 * `outpost token …`: personal access tokens, for scripts and for trying the
 * client API with curl. A token is printed once, when made; the server
 * keeps only its hash.
 */
import type { Command } from "commander";
import { parseDuration } from "../federation/accounts/duration.ts";
import { createPersonalAccessToken } from "../federation/accounts/tokens.ts";
import { CliError } from "./cli-error.ts";
import { println, withCommandOutpost, type CliIo } from "./command-kit.ts";
import { formatTable } from "./table.ts";
import { accountContextOf } from "./user.ts";

/** Registers `token create|list|revoke` on the program. */
export function registerTokenCommands(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;
  const token = program.command("token").description("manage personal access tokens of users");

  token
    .command("create <user>")
    .description("make a token for a user and print it (once)")
    .requiredOption("--scopes <list>", "comma-separated scopes, e.g. read,write,follow")
    .option("--expires <duration>", "lifetime such as 12h, 30d or 2w (default: never)")
    .option("--name <label>", "what the token is for")
    .action(async (user: string, options: { scopes: string; expires?: string; name?: string }, command: Command) => {
      let expiresInMs: number | null = null;
      if (options.expires !== undefined) {
        const parsed = parseDuration({ text: options.expires });
        if (!parsed.ok) throw new CliError({ reason: "invalidArgument", message: `--expires: ${parsed.message}` });
        expiresInMs = parsed.ms;
      }
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const result = await createPersonalAccessToken(accountContextOf({ outpost }), {
            username: user,
            scopes: options.scopes,
            expiresInMs,
            ...(options.name === undefined ? {} : { name: options.name }),
          });
          if (!result.ok) {
            throw new CliError({ reason: result.reason === "userNotFound" ? "notFound" : "invalidArgument", message: result.message });
          }
          println({ to: io.stdout, line: result.token });
          const expiry = result.record.expiresAt === null ? "never expires" : `expires ${result.record.expiresAt}`;
          io.stderr.write(`Token for ${result.user.username} (${result.record.scopes.join(" ")}; ${expiry}). It is shown only now.\n`);
        },
      });
    });

  token
    .command("list <user>")
    .description("list a user's live tokens (not their values, which are not kept)")
    .action(async (user: string, _options: unknown, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const ac = accountContextOf({ outpost });
          const record = await ac.accounts.users.getByUsername(user);
          if (record === null) throw new CliError({ reason: "notFound", message: `there is no user "${user}"` });
          const tokens = (await ac.accounts.tokens.listForUser(record.id)).filter((t) => t.kind === "access");
          if (tokens.length === 0) {
            println({ to: io.stdout, line: `${record.username} has no live tokens.` });
            return;
          }
          const rows = tokens.map((t) => [t.id, t.name ?? (t.clientId === null ? "-" : `app ${t.clientId}`), t.scopes.join(" "), t.createdAt.slice(0, 19), t.expiresAt?.slice(0, 19) ?? "never"]);
          println({ to: io.stdout, line: formatTable({ header: ["ID", "NAME", "SCOPES", "CREATED", "EXPIRES"], rows }) });
        },
      });
    });

  token
    .command("revoke <id>")
    .description("revoke a token by the id `token list` shows")
    .action(async (id: string, _options: unknown, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const ac = accountContextOf({ outpost });
          if (!(await ac.accounts.tokens.revoke(id, ac.now().toISOString()))) {
            throw new CliError({ reason: "notFound", message: `there is no live token ${id}` });
          }
          println({ to: io.stdout, line: `Revoked token ${id}.` });
        },
      });
    });
}
