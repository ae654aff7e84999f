/**
 * The HTTP app: Outpost's routes on Hono, for the standalone server and for
 * mounting in a host application. Requests no route answers are marked, so
 * that a host application can fall through to its own routes.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { FederationContext } from "../federation/context.ts";
import { sqlAccountStoreOf } from "../store/sql-account-store.ts";
import { registerActorRoutes } from "./actors.ts";
import { mountInteractionRoutes } from "./interactions/interaction-routes.ts";
import { mountQuoteRoutes } from "./quotes/quote-authorization-routes.ts";
import { mountChatPostRoutes, type MountChatPostRoutesParams } from "./webhooks/chat-post-routes.ts";
import { clientApiRoutes, registerClientApiCors } from "./c2s/client-api-routes.ts";
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
  // The status first: reading the headers of a response the Node.js adapter
  // would write out from a plain record makes it build a Headers object.
  return response.status === 404 && response.headers.has(UNMATCHED_HEADER);
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
  mountClientApiOnDemand({ app, ctx, dataDir: params.dataDir, trustProxy, getPath: aliasRouting.getPath });
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

/** Parameters of {@link mountClientApiOnDemand}. */
interface MountClientApiOnDemandParams {
  readonly app: Hono<AppEnv>;
  readonly ctx: FederationContext;
  readonly dataDir: string | undefined;
  readonly trustProxy: boolean;
  readonly getPath: (request: Request) => string;
}

/**
 * The client API (OAuth, C2S), loaded on the first request that may be for
 * it (see client-api-routes.ts), so that starting a server does not wait for
 * some fifty modules most requests never use. It runs as an app of its own;
 * what it does not answer goes on to the routes after it here, as it would
 * if its routes were registered here directly.
 */
function mountClientApiOnDemand(params: MountClientApiOnDemandParams): void {
  const { app, ctx } = params;
  const accounts = sqlAccountStoreOf(ctx.store);
  if (accounts === null) {
    ctx.logger.info("the store keeps no accounts; the client API (OAuth, C2S) is not mounted");
    return;
  }
  registerClientApiCors(app, ctx.config.prefix);
  // The client API's app takes over the request's id, logger and format from here.
  const parents = new WeakMap<Request, Context<AppEnv>>();
  let loading: Promise<Hono<AppEnv>> | undefined;
  const load = (): Promise<Hono<AppEnv>> => {
    if (loading !== undefined) return loading;
    loading = import("./c2s/mount.ts").then(({ mountClientApiRoutes }) => {
      const clientApi = new Hono<AppEnv>({ getPath: params.getPath });
      clientApi.use("*", async (c, next) => {
        const parent = parents.get(c.req.raw);
        if (parent !== undefined) {
          c.set("requestId", parent.get("requestId"));
          c.set("logger", parent.get("logger"));
          c.set("format", parent.get("format"));
          c.set("jsonAlias", parent.get("jsonAlias"));
        }
        await next();
      });
      mountClientApiRoutes(clientApi, { ctx, accounts, dataDir: params.dataDir, trustProxy: params.trustProxy });
      clientApi.notFound((c) => c.body(null, 404, { [UNMATCHED_HEADER]: "1" }));
      clientApi.onError((error, c) => renderError({ c, error, logger: ctx.logger }));
      return clientApi;
    });
    // A load that failed is tried again by the next request.
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  };
  const forward: MiddlewareHandler<AppEnv> = async (c, next) => {
    const clientApi = await load();
    parents.set(c.req.raw, c);
    const response = await clientApi.fetch(c.req.raw, c.env);
    if (!isUnmatchedResponse(response)) return response;
    await next();
  };
  for (const route of clientApiRoutes(ctx.config.prefix)) app.on([...route.methods], route.path, forward);
}
