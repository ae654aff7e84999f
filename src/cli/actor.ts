/**
 * `outpost actor …`: create, list, update, delete and move local actors.
 * Profile text is typed as plain text and stored as the same HTML a post
 * gets (escaped, paragraphs, links).
 */
import { createHash, createPublicKey } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { Option, type Command } from "commander";
import { createLocalActor } from "../federation/actors/local-actors.ts";
import type { FederationContext } from "../federation/context.ts";
import { deleteLocalActor, moveActor, updateProfile, type ProfileChanges } from "../federation/outbox/actions/index.ts";
import { renderPlainText } from "../protocol/content.ts";
import type { ProfileField } from "../store/records.ts";
import { CliError } from "./cli-error.ts";
import { finishAction, println, withCommandOutpost, type CliIo } from "./command-kit.ts";
import { handleOf, isUrlArgument, requireLocalActor, resolveAccountUri, userActors } from "./lookup.ts";
import { formatTable } from "./table.ts";

export const ACTOR_TYPES = ["Person", "Service", "Group", "Organization", "Application"] as const;

/** Registers `actor create|list|update|delete|move` on the program. */
export function registerActorCommands(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;
  const actor = program.command("actor").description("manage local actors (accounts)");

  actor
    .command("create <username>")
    .description("create a local actor with a new RSA key")
    .addOption(new Option("--type <type>", "actor type").choices(ACTOR_TYPES).default("Person"))
    .option("--name <name>", "display name")
    .option("--summary <text>", "profile text (plain text)")
    .option("--manual-approval", "approve followers by hand (`outpost follower accept`)")
    .action(async (username: string, options: CreateOptions, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const result = await createLocalActor(outpost.ctx, {
            username,
            type: options.type,
            name: options.name,
            summary: options.summary === undefined ? undefined : profileHtml(outpost.ctx, options.summary),
            manuallyApprovesFollowers: options.manualApproval === true,
          });
          if (!result.ok) throw new CliError({ reason: "rejected", message: result.message });
          const keys = await outpost.store.keys.listForOwner(result.actor.uri);
          println({ to: io.stdout, line: `Created ${result.actor.type} ${handleOf(result.actor)}` });
          println({ to: io.stdout, line: `  URI: ${result.actor.uri}` });
          for (const key of keys) {
            const fingerprint = fingerprintOf({ publicKeyPem: key.publicKeyPem });
            println({ to: io.stdout, line: `  Key: ${key.keyId} (${fingerprint})` });
          }
        },
      });
    });

  actor
    .command("list")
    .description("list local actors")
    .option("--keys", "also show each actor's key id and fingerprint")
    .action(async (options: { keys?: boolean }, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const actors = userActors(outpost.ctx, { actors: await outpost.store.actors.listLocal() });
          if (actors.length === 0) {
            println({ to: io.stdout, line: "No actors yet. Create one with `outpost actor create <username>`." });
            return;
          }
          const header = ["USERNAME", "TYPE", "FOLLOWERS", "FOLLOWING", "URI"];
          if (options.keys === true) header.push("KEY ID", "FINGERPRINT");
          const rows: string[][] = [];
          for (const record of actors) {
            const row = [
              record.username,
              record.type,
              String(await outpost.store.follows.countFollowers(record.uri, "accepted")),
              String(await outpost.store.follows.countFollowing(record.uri, "accepted")),
              record.uri,
            ];
            if (options.keys === true) {
              const [key] = await outpost.store.keys.listForOwner(record.uri);
              row.push(key?.keyId ?? "-", key === undefined ? "-" : fingerprintOf({ publicKeyPem: key.publicKeyPem }));
            }
            rows.push(row);
          }
          println({ to: io.stdout, line: formatTable({ header, rows }) });
        },
      });
    });

  actor
    .command("update <username>")
    .description("change a profile and send the update to followers")
    .option("--name <name>", "display name")
    .option("--summary <text>", "profile text (plain text)")
    .option("--icon <url>", "avatar image URL")
    .option("--field <name=value>", "a profile field; repeat for several (replaces a field of that name)", collect, [])
    .option("--clear-fields", "remove every profile field (before adding --field ones)")
    .option("--manual-approval", "approve followers by hand")
    .option("--no-manual-approval", "accept followers automatically")
    .option("--discoverable", "may be listed in directories")
    .option("--no-discoverable", "ask not to be listed in directories")
    .option(
      "--also-known-as <account>",
      "an alias (URL or @user@host), e.g. before moving; repeat for several (replaces the list)",
      collect,
      [],
    )
    .action(async (username: string, options: UpdateOptions, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const ctx = outpost.ctx;
          const record = await requireLocalActor(ctx, { input: username });
          const changes: ProfileChanges = {};
          if (options.name !== undefined) changes.name = options.name;
          if (options.summary !== undefined) changes.summary = profileHtml(ctx, options.summary);
          if (options.icon !== undefined) {
            if (!isUrlArgument({ input: options.icon })) {
              throw new CliError({ reason: "invalidArgument", message: `--icon must be an http(s) URL: ${options.icon}` });
            }
            changes.iconUrl = options.icon;
          }
          if (options.clearFields === true || options.field.length > 0) {
            changes.fields = mergeFields({
              current: options.clearFields === true ? [] : record.fields,
              added: options.field.map((input) => parseField({ input })),
            });
          }
          if (options.manualApproval !== undefined) changes.manuallyApprovesFollowers = options.manualApproval;
          if (options.discoverable !== undefined) changes.discoverable = options.discoverable;
          if (options.alsoKnownAs.length > 0) {
            const aliases: string[] = [];
            for (const alias of options.alsoKnownAs) aliases.push(await resolveAccountUri(ctx, { input: alias }));
            changes.alsoKnownAs = aliases;
          }
          if (Object.keys(changes).length === 0) {
            throw new CliError({ reason: "invalidArgument", message: "nothing to change: give at least one option (see --help)" });
          }
          const result = await updateProfile(ctx, { actor: record, changes });
          await finishAction({ outpost, io, result, success: () => [`Updated ${handleOf(record)}.`] });
        },
      });
    });

  actor
    .command("delete <username>")
    .description("delete a local actor and tell its followers (cannot be undone)")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (username: string, options: { yes?: boolean }, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const record = await requireLocalActor(outpost.ctx, { input: username });
          if (options.yes !== true) await confirmDeletion({ io, handle: handleOf(record), username: record.username });
          const result = await deleteLocalActor(outpost.ctx, { actor: record });
          await finishAction({ outpost, io, result, success: () => [`Deleted ${handleOf(record)}.`] });
        },
      });
    });

  actor
    .command("move <username> <target>")
    .description("move followers to another account (which must list this one in alsoKnownAs)")
    .action(async (username: string, target: string, _options: unknown, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const record = await requireLocalActor(outpost.ctx, { input: username });
          const targetUri = await resolveAccountUri(outpost.ctx, { input: target });
          const result = await moveActor(outpost.ctx, { actor: record, target: targetUri });
          await finishAction({ outpost, io, result, success: () => [`${handleOf(record)} moved to ${targetUri}.`] });
        },
      });
    });
}

interface CreateOptions {
  type: (typeof ACTOR_TYPES)[number];
  name?: string;
  summary?: string;
  manualApproval?: boolean;
}

interface UpdateOptions {
  name?: string;
  summary?: string;
  icon?: string;
  field: string[];
  clearFields?: boolean;
  manualApproval?: boolean;
  discoverable?: boolean;
  alsoKnownAs: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Profile text as HTML, rendered like a post without mentions. */
function profileHtml(ctx: FederationContext, text: string): string {
  return renderPlainText({ text, mentions: new Map(), hashtagBase: ctx.uris.hashtagBase() }).html;
}

/** Parses `Name=Value` (the first `=` separates them). */
export function parseField(params: { readonly input: string }): ProfileField {
  const { input } = params;
  const at = input.indexOf("=");
  const name = at === -1 ? "" : input.slice(0, at).trim();
  if (name === "") {
    throw new CliError({ reason: "invalidArgument", message: `--field expects Name=Value, got ${JSON.stringify(input)}` });
  }
  return { name, value: input.slice(at + 1).trim() };
}

/** Profile fields before a change, and those the change sets. */
export interface MergeFieldsParams {
  readonly current: readonly ProfileField[];
  readonly added: readonly ProfileField[];
}

/** Fields after adding `added`: a field replaces the existing one of the same name (case-insensitively), in place. */
export function mergeFields(params: MergeFieldsParams): ProfileField[] {
  const result = params.current.map((field) => ({ ...field }));
  for (const field of params.added) {
    const index = result.findIndex((existing) => existing.name.toLowerCase() === field.name.toLowerCase());
    if (index === -1) result.push({ ...field });
    else result[index] = { ...field };
  }
  return result;
}

/** A short, comparable fingerprint of a public key: SHA-256 of its DER form, base64. */
export function fingerprintOf(params: { readonly publicKeyPem: string }): string {
  const der = createPublicKey(params.publicKeyPem).export({ type: "spki", format: "der" });
  return `SHA256:${createHash("sha256").update(der).digest("base64").replace(/=+$/, "")}`;
}

interface ConfirmDeletionParams {
  readonly io: CliIo;
  readonly handle: string;
  readonly username: string;
}

/** Asks on the terminal; refuses when there is none, since nobody could answer. */
async function confirmDeletion(params: ConfirmDeletionParams): Promise<void> {
  const { io } = params;
  if (io.stdin.isTTY !== true) {
    throw new CliError({
      reason: "notConfirmed",
      message: `refusing to delete ${params.handle} without confirmation: pass --yes when not running in a terminal`,
    });
  }
  const prompt = createInterface({ input: io.stdin, output: io.stdout });
  try {
    const answer = await prompt.question(
      `Delete ${params.handle}? Its followers are told and this cannot be undone. Type the username to confirm: `,
    );
    if (answer.trim().toLowerCase() !== params.username) {
      throw new CliError({ reason: "notConfirmed", message: "not deleted: the confirmation did not match" });
    }
  } finally {
    prompt.close();
  }
}
