/**
 * `outpost post`, `outpost edit` and `outpost delete`: write, change and
 * remove posts as a local actor, delivering them from this process.
 */
import { Option, type Command } from "commander";
import { createPost, deletePost, editPost } from "../federation/outbox/actions/index.ts";
import type { Visibility } from "../store/records.ts";
import { CliError } from "./cli-error.ts";
import { finishAction, withCommandOutpost, type CliIo } from "./command-kit.ts";
import { isUrlArgument, requireLocalActor } from "./lookup.ts";

export const VISIBILITIES = ["public", "unlisted", "followers", "direct"] as const satisfies readonly Visibility[];

/** Registers `post`, `edit` and `delete` on the program. */
export function registerPostCommands(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;

  program
    .command("post <actor> <text>")
    .description("publish a post; @user@host mentions and #hashtags are linked")
    .addOption(new Option("--visibility <visibility>", "who may see it").choices(VISIBILITIES).default("public"))
    .option("--cw <summary>", "content warning shown before the text")
    .option("--reply-to <url>", "the post this one answers")
    .option("--lang <code>", "language of the text, e.g. en")
    .action(async (actorName: string, text: string, options: PostOptions, command: Command) => {
      if (text.trim() === "") throw new CliError({ reason: "invalidArgument", message: "the text of a post cannot be empty" });
      if (options.replyTo !== undefined) requireUrl({ option: "--reply-to", value: options.replyTo });
      if (options.lang !== undefined && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(options.lang)) {
        throw new CliError({
          reason: "invalidArgument",
          message: `--lang expects a language code such as en or pt-BR, got ${options.lang}`,
        });
      }
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const actor = await requireLocalActor(outpost.ctx, { input: actorName });
          const result = await createPost(outpost.ctx, {
            actor,
            text,
            visibility: options.visibility,
            summary: options.cw,
            inReplyTo: options.replyTo,
            language: options.lang,
          });
          await finishAction({
            outpost,
            io,
            result,
            success: (done) => {
              const lines = [`Posted: ${String(done.objectUri)}`];
              const unresolved = Array.isArray(done.unresolvedMentions) ? done.unresolvedMentions.map(String) : [];
              if (unresolved.length > 0) lines.push(`Not found, left as plain text: ${unresolved.join(", ")}`);
              return lines;
            },
          });
        },
      });
    });

  program
    .command("edit <actor> <url> <text>")
    .description("replace the text of one of the actor's posts")
    .option("--cw <summary>", "content warning shown before the text")
    .action(async (actorName: string, url: string, text: string, options: { cw?: string }, command: Command) => {
      requireUrl({ option: "<url>", value: url });
      if (text.trim() === "") throw new CliError({ reason: "invalidArgument", message: "the text of a post cannot be empty" });
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const actor = await requireLocalActor(outpost.ctx, { input: actorName });
          const result = await editPost(outpost.ctx, { actor, objectUri: url, text, summary: options.cw });
          await finishAction({ outpost, io, result, success: () => [`Edited: ${url}`] });
        },
      });
    });

  program
    .command("delete <actor> <url>")
    .description("delete one of the actor's posts")
    .action(async (actorName: string, url: string, _options: unknown, command: Command) => {
      requireUrl({ option: "<url>", value: url });
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const actor = await requireLocalActor(outpost.ctx, { input: actorName });
          const result = await deletePost(outpost.ctx, { actor, objectUri: url });
          await finishAction({ outpost, io, result, success: () => [`Deleted: ${url}`] });
        },
      });
    });
}

interface PostOptions {
  visibility: Visibility;
  cw?: string;
  replyTo?: string;
  lang?: string;
}

/** A usage error unless `value` is an http(s) URL. */
export function requireUrl(params: { readonly option: string; readonly value: string }): void {
  if (!isUrlArgument({ input: params.value })) {
    throw new CliError({ reason: "invalidArgument", message: `${params.option} must be an http(s) URL, got ${params.value}` });
  }
}
