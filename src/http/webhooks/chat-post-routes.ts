/**
 * `POST /api/chat/post`: posts a Note from a chat slash command (Slack's
 * signed form posts, and the platforms that copy them) or from any script
 * with a bearer secret. Answers in the shape chat platforms show: 200 with
 * `{ response_type: "in_channel", text: "Posted: <url>" }`, 401 when the
 * request is not authenticated, 400 when there is nothing to post.
 */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FederationContext } from "../../federation/context.ts";
import { authenticateChatRequest } from "../../federation/webhooks/chat-auth.ts";
import { parseChatCommand, postFromChat, type ChatResponse } from "../../federation/webhooks/chat-post.ts";
import type { AppEnv } from "../app-env.ts";
import { readBoundedBody } from "../read-body.ts";

/** Parameters of {@link mountChatPostRoutes}. */
export interface MountChatPostRoutesParams {
  readonly ctx: FederationContext;
  /** The local actor (username) that posts. */
  readonly actor: string;
  /** The Slack app's signing secret, to accept Slack slash commands. */
  readonly slackSigningSecret?: string;
  /** A secret scripts send as `Authorization: Bearer <secret>`. */
  readonly bearerSecret?: string;
  /** Default "/api/chat/post". */
  readonly path?: string;
}

/** A command is a line of text; anything bigger is not a chat command. */
export const MAX_CHAT_BODY_BYTES = 64 * 1024;

/** Adds the chat posting route. Throws when neither secret is given: an open posting endpoint is never what was meant. */
export function mountChatPostRoutes(app: Hono<AppEnv>, params: MountChatPostRoutesParams): void {
  const { ctx } = params;
  if (params.slackSigningSecret === undefined && params.bearerSecret === undefined) {
    throw new TypeError("mountChatPostRoutes needs a slackSigningSecret or a bearerSecret");
  }
  app.post(params.path ?? "/api/chat/post", async (c) => {
    const read = await readBoundedBody({ request: c.req.raw, maxBytes: MAX_CHAT_BODY_BYTES });
    if (!read.ok) return answer(c, read.reason === "tooLarge" ? 413 : 400, { response_type: "ephemeral", text: read.message });
    let body: string;
    try {
      body = new TextDecoder("utf-8", { fatal: true }).decode(read.body);
    } catch {
      return answer(c, 400, { response_type: "ephemeral", text: "the body is not UTF-8" });
    }
    const auth = authenticateChatRequest({
      headers: c.req.raw.headers,
      body,
      now: ctx.now(),
      ...(params.slackSigningSecret === undefined ? {} : { slackSigningSecret: params.slackSigningSecret }),
      ...(params.bearerSecret === undefined ? {} : { bearerSecret: params.bearerSecret }),
    });
    if (!auth.ok) return answer(c, 401, { response_type: "ephemeral", text: auth.message });
    const parsed = parseChatCommand({ contentType: c.req.header("content-type") ?? null, body });
    if (!parsed.ok) return answer(c, parsed.reason === "unsupportedMediaType" ? 415 : 400, { response_type: "ephemeral", text: parsed.message });
    const actor = await ctx.store.actors.getLocal(params.actor);
    if (actor === null || !actor.local || actor.deletedAt !== null) {
      ctx.logger.error({ actor: params.actor }, "the chat endpoint's actor does not exist");
      return answer(c, 503, { response_type: "ephemeral", text: "posting is not available" });
    }
    const posted = await postFromChat(ctx, { actor, command: parsed.command });
    return answer(c, posted.ok ? 200 : 400, posted.response);
  });
}

function answer(c: Context<AppEnv>, status: ContentfulStatusCode, response: ChatResponse): Response {
  return c.json(response, status);
}
