/**
 * The HTTP app: Outpost's routes on Hono, for the standalone server and for
 * mounting in a host application. Requests no route answers are marked, so
 * that a host application can fall through to its own routes.
 */
import { Hono } from "hono";
import type { FederationContext } from "../federation/context.ts";
import { registerActorRoutes } from "./actors.ts";
import { mountInteractionRoutes } from "./interactions/interaction-routes.ts";
import { mountQuoteRoutes } from "./quotes/quote-authorization-routes.ts";
import { mountChatPostRoutes, type MountChatPostRoutesParams } from "./webhooks/chat-post-routes.ts";
import { mountClientApi } from "./c2s/mount.ts";
import type { AppEnv } from "./app-env.ts";
import { clientAddress } from "./client-address.ts";
import { registerCollectionRoutes } from "./collections.ts";
import { renderError } from "./errors.ts";
import { registerInboxRoutes } from "./inbox.ts";
import { createJsonAliasRouting } from "./json-alias.ts";
import { rateLimit } from "./middleware/rate-limit.ts";
import { requestContext } from "./middleware/request-context.ts";
import { registerObjectRoutes } from "./objects.ts";
import { registerWellKnownRoutes } from "./well-known.ts";

/** One rate limit's settings; `false` turns it off. */
export interface RateLimitSetting {
  readonly perMinute?: number;
  readonly burst?: number;
  /** Clients tracked at once; the least recently seen are forgotten first. */
  readonly maxKeys?: number;
}

/** Rate limits per client address. */
export interface RateLimitSettings {
  /** Inbox deliveries (POST); default 300 a minute, bursts of 100. */
  readonly inbox?: RateLimitSetting | false;
  /** WebFinger lookups; default 600 a minute, bursts of 200. */
  readonly webfinger?: RateLimitSetting | false;
}

/** Parameters of {@link createHttpApp}. */
export interface CreateHttpAppParams {
  readonly ctx: FederationContext;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  readonly trustProxy?: boolean;
  /** `false` turns every rate limit off (benchmarks, trusted networks). */
  readonly rateLimits?: RateLimitSettings | false;
  /** Where uploaded media are kept (under `media/`); default "./data". */
  readonly dataDir?: string;
  /** Posting from chat or scripts (POST /api/chat/post); off unless given. */
  readonly chatPost?: Omit<MountChatPostRoutesParams, "ctx">;
}

/** The header marking the answer to a request no route matched. */
export const UNMATCHED_HEADER = "x-outpost-unmatched";

/** Whether a response of the app means "no route of Outpost's matched". */
export function isUnmatchedResponse(response: Response): boolean {
  return response.headers.has(UNMATCHED_HEADER);
}

const DEFAULT_INBOX_LIMIT = { perMinute: 300, burst: 100 } as const;
const DEFAULT_WEBFINGER_LIMIT = { perMinute: 600, burst: 200 } as const;

/** Builds the Hono app serving every Outpost route. */
export function createHttpApp(params: CreateHttpAppParams): Hono<AppEnv> {
  const { ctx } = params;
  const trustProxy = params.trustProxy ?? false;
  const limits: RateLimitSettings =
    params.rateLimits === false ? { inbox: false, webfinger: false } : (params.rateLimits ?? {});
  const aliasRouting = createJsonAliasRouting({ prefix: ctx.config.prefix });
  const app = new Hono<AppEnv>({ getPath: aliasRouting.getPath });
  const keyOf = (c: Parameters<typeof clientAddress>[0]["c"]) => clientAddress({ c, trustProxy });

  const limiter = (name: string, setting: RateLimitSetting | false | undefined, defaults: RateLimitSetting) =>
    setting === false ? undefined : rateLimit({ name, ...defaults, ...setting, keyOf });

  app.use("*", requestContext({ logger: ctx.logger, hasJsonSuffix: aliasRouting.hasJsonSuffix }));
  // The client API answers owners' reads of inboxes, outboxes and objects, so it
  // goes before the public routes; it passes on every request it does not answer.
  mountClientApi(app, { ctx, dataDir: params.dataDir, trustProxy });
  registerWellKnownRoutes({ app, ctx, webFingerLimiter: limiter("webfinger", limits.webfinger, DEFAULT_WEBFINGER_LIMIT) });
  registerInboxRoutes({ app, ctx, trustProxy, limiter: limiter("inbox", limits.inbox, DEFAULT_INBOX_LIMIT) });
  registerActorRoutes({ app, ctx });
  registerObjectRoutes({ app, ctx });
  registerCollectionRoutes({ app, ctx });
  mountQuoteRoutes(app, { ctx });
  mountInteractionRoutes(app, { ctx });
  if (params.chatPost !== undefined) mountChatPostRoutes(app, { ctx, ...params.chatPost });

  app.notFound((c) => c.body(null, 404, { [UNMATCHED_HEADER]: "1" }));
  app.onError((error, c) => renderError({ c, error, logger: ctx.logger }));
  return app;
}
