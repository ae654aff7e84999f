/**
 * The client-to-server API on the HTTP app: OAuth, the actor management API,
 * the outbox for clients, owners' reads, uploads and the proxy. Its GET
 * routes for inboxes, outboxes and objects answer what only a client with a
 * token may see and pass everything else on, so they must be registered
 * before the public routes of the same paths.
 */
import { join } from "node:path";
import type { Hono } from "hono";
import { createAccountContext, type AccountConfig } from "../../federation/accounts/account-context.ts";
import type { FederationContext } from "../../federation/context.ts";
import type { AccountStore } from "../../store/account-store.ts";
import { sqlAccountStoreOf } from "../../store/sql-account-store.ts";
import { registerActorsApi } from "../api/actors-api.ts";
import type { AppEnv } from "../app-env.ts";
import type { RateLimitSetting } from "../app.ts";
import { clientAddress } from "../client-address.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { registerAuthorizeRoutes } from "../oauth/authorize-routes.ts";
import { registerMetadataRoute } from "../oauth/metadata-route.ts";
import { registerRegistrationRoutes } from "../oauth/registration-routes.ts";
import { registerTokenRoutes } from "../oauth/token-routes.ts";
import { registerClientApiCors } from "./client-api-routes.ts";
import { DEFAULT_MAX_MEDIA_BYTES, DEFAULT_MAX_OUTBOX_BYTES, type ClientApi } from "./client-api.ts";
import { registerCollectionRoute } from "./collection-route.ts";
import { registerMediaRoutes } from "./media-routes.ts";
import { registerOutboxPost } from "./outbox-post.ts";
import { registerOwnerReads } from "./owner-reads.ts";
import { registerProxyRoute } from "./proxy-route.ts";

/** Parameters of {@link mountClientApi}. */
export interface MountClientApiParams {
  readonly ctx: FederationContext;
  /** Default: the account tables of the SQL store (`ctx.store`); without them, nothing is mounted. */
  readonly accounts?: AccountStore;
  /** Uploads go to `<dataDir>/media` unless `mediaDir` is given; default "./data". */
  readonly dataDir?: string;
  readonly mediaDir?: string;
  readonly trustProxy?: boolean;
  /** Token lifetimes, the password grant, attempt limits, … */
  readonly config?: Partial<AccountConfig>;
  readonly maxOutboxBytes?: number;
  readonly maxMediaBytes?: number;
  /** App registrations per client address; default 30 a minute, bursts of 10; `false` turns it off. */
  readonly registrationLimit?: RateLimitSetting | false;
  /** The clock of the account side; default the federation context's. */
  readonly now?: () => Date;
}

const DEFAULT_REGISTRATION_LIMIT = { perMinute: 30, burst: 10 } as const;

/** Registers every client API route on `app`, with its CORS; returns the API's state, or null when the store keeps no accounts. */
export function mountClientApi(app: Hono<AppEnv>, params: MountClientApiParams): ClientApi | null {
  const accounts = params.accounts ?? sqlAccountStoreOf(params.ctx.store);
  if (accounts === null) {
    params.ctx.logger.info("the store keeps no accounts; the client API (OAuth, C2S) is not mounted");
    return null;
  }
  registerClientApiCors(app, params.ctx.config.prefix);
  return mountClientApiRoutes(app, { ...params, accounts });
}

/** Parameters of {@link mountClientApiRoutes}. */
export interface MountClientApiRoutesParams extends MountClientApiParams {
  readonly accounts: AccountStore;
}

/**
 * Registers the client API's routes on `app`, without the CORS of its paths
 * (see {@link registerClientApiCors}): the app that loads the client API on
 * demand keeps that on itself.
 */
export function mountClientApiRoutes(app: Hono<AppEnv>, params: MountClientApiRoutesParams): ClientApi {
  const { ctx, accounts } = params;
  const api: ClientApi = {
    ctx,
    ac: createAccountContext({ accounts, logger: ctx.logger.child({ component: "accounts" }), now: params.now ?? ctx.now, config: params.config }),
    mediaDir: params.mediaDir ?? join(params.dataDir ?? "./data", "media"),
    trustProxy: params.trustProxy ?? false,
    maxOutboxBytes: params.maxOutboxBytes ?? DEFAULT_MAX_OUTBOX_BYTES,
    maxMediaBytes: params.maxMediaBytes ?? DEFAULT_MAX_MEDIA_BYTES,
  };

  const setting = params.registrationLimit;
  const registrationLimiter =
    setting === false
      ? undefined
      : rateLimit({
          name: "app registration",
          ...DEFAULT_REGISTRATION_LIMIT,
          ...setting,
          keyOf: (c) => clientAddress({ c, trustProxy: api.trustProxy }),
        });

  registerMetadataRoute({ app, api });
  registerAuthorizeRoutes({ app, api });
  registerTokenRoutes({ app, api });
  registerRegistrationRoutes({ app, api, limiter: registrationLimiter });
  registerActorsApi({ app, api });
  registerOutboxPost({ app, api });
  registerOwnerReads({ app, api });
  registerCollectionRoute({ app, api });
  registerMediaRoutes({ app, api });
  registerProxyRoute({ app, api });
  return api;
}
