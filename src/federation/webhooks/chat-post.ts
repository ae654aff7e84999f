/**
 * Posting from a chat slash command or a script: the command's text becomes
 * a Note of the configured actor, and the answer is shaped as chat platforms
 * expect (`response_type` and `text`), so the channel sees the post's link.
 */
import { z } from "zod";
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { createPost } from "../outbox/actions/create-post.ts";

/** What a chat platform shows: in the channel for everyone, or only to the one who typed the command. */
export interface ChatResponse {
  readonly response_type: "in_channel" | "ephemeral";
  readonly text: string;
}

/** A command as read from the request. */
export interface ChatCommand {
  readonly text: string;
  readonly visibility?: "public" | "unlisted" | "followers" | "direct";
  readonly summary?: string;
}

/** Why a command could not be read. */
export type ParseChatCommandResult =
  | { readonly ok: true; readonly command: ChatCommand }
  | { readonly ok: false; readonly reason: "unsupportedMediaType" | "invalidBody" | "emptyText"; readonly message: string };

const jsonCommandSchema = z.object({
  text: z.string(),
  visibility: z.enum(["public", "unlisted", "followers", "direct"]).optional(),
  summary: z.string().optional(),
});

/** Parameters of {@link parseChatCommand}. */
export interface ParseChatCommandParams {
  readonly contentType: string | null;
  readonly body: string;
}

/** Reads a Slack-style form (`text`, `user_name`, …) or a JSON body (`text`, `visibility`, `summary`). */
export function parseChatCommand(params: ParseChatCommandParams): ParseChatCommandResult {
  const mediaType = params.contentType?.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  let command: ChatCommand;
  if (mediaType === "application/x-www-form-urlencoded") {
    command = { text: new URLSearchParams(params.body).get("text") ?? "" };
  } else if (mediaType === "application/json") {
    let json: unknown;
    try {
      json = JSON.parse(params.body);
    } catch {
      return { ok: false, reason: "invalidBody", message: "the body is not valid JSON" };
    }
    const parsed = jsonCommandSchema.safeParse(json);
    if (!parsed.success) return { ok: false, reason: "invalidBody", message: z.prettifyError(parsed.error).replace(/\s+/g, " ") };
    command = parsed.data;
  } else {
    return { ok: false, reason: "unsupportedMediaType", message: "send a form (application/x-www-form-urlencoded) or JSON" };
  }
  if (command.text.trim() === "") return { ok: false, reason: "emptyText", message: "there is no text to post" };
  return { ok: true, command };
}

/** Parameters of {@link postFromChat}. */
export interface PostFromChatParams {
  readonly actor: ActorRecord;
  readonly command: ChatCommand;
}

/** The post made and the chat answer, or why not. */
export type PostFromChatResult =
  | { readonly ok: true; readonly objectUri: string; readonly response: ChatResponse }
  | { readonly ok: false; readonly reason: string; readonly message: string; readonly response: ChatResponse };

/** Publishes the command's text as a post of the actor. */
export async function postFromChat(ctx: FederationContext, params: PostFromChatParams): Promise<PostFromChatResult> {
  const { command } = params;
  const posted = await createPost(ctx, {
    actor: params.actor,
    text: command.text.trim(),
    ...(command.visibility === undefined ? {} : { visibility: command.visibility }),
    ...(command.summary === undefined ? {} : { summary: command.summary }),
  });
  if (!posted.ok) {
    return { ok: false, reason: posted.reason, message: posted.message, response: { response_type: "ephemeral", text: `Not posted: ${posted.message}` } };
  }
  // A public post's id is also its page; that is the link people can open.
  return { ok: true, objectUri: posted.objectUri, response: { response_type: "in_channel", text: `Posted: ${posted.objectUri}` } };
}
