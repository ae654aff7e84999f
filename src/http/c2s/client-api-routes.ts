/**
 * Where the client API lives, known without loading it: the CORS of its
 * paths and the routes it answers. Most processes serve other servers far
 * more than clients, so the client API (OAuth, uploads, the outbox for
 * clients, some fifty modules) is loaded on its first request, and these
 * lists say which requests may be one.
 */
import type { Hono } from "hono";
import { cors } from "hono/cors";
import { MEDIA_PATH } from "../../federation/c2s/media-store.ts";
import { OAUTH_PATHS } from "../../federation/oauth/metadata.ts";
import type { AppEnv } from "../app-env.ts";

/**
 * Allows any origin on the client API's paths. Clients in browsers call them
 * with bearer tokens, never cookies, so any origin may. It wraps the public
 * routes of the same paths too (an outbox read without a token), so it goes
 * on the app itself, ahead of them, whether or not the client API is loaded.
 */
export function registerClientApiCors(app: Hono<AppEnv>, prefix: string): void {
  const apiCors = cors({
    origin: "*",
    allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
    allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    exposeHeaders: ["Location", "WWW-Authenticate", "Retry-After"],
    maxAge: 600,
  });
  const paths = [
    "/api/*",
    OAUTH_PATHS.token,
    OAUTH_PATHS.revoke,
    OAUTH_PATHS.introspect,
    OAUTH_PATHS.register,
    `${prefix}/users/:username/outbox`,
    `${prefix}/users/:username/inbox`,
    `${prefix}/users/:username/uploads`,
  ];
  for (const path of paths) app.use(path, apiCors);
}

/** Requests of these methods to this path (a Hono pattern) may be the client API's. */
export interface ClientApiRoute {
  readonly methods: readonly string[];
  readonly path: string;
}

const ANY = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/**
 * The routes of the client API, none overlapping another. Requests to the
 * inbox are POSTed by other servers all the time; only reads of it are the
 * client API's, so only those wait for it. A test checks that every route
 * the client API registers is covered here.
 */
export function clientApiRoutes(prefix: string): readonly ClientApiRoute[] {
  return [
    { methods: ANY, path: "/api/*" },
    { methods: ANY, path: "/oauth/*" },
    { methods: ["GET"], path: "/.well-known/oauth-authorization-server" },
    { methods: ["GET"], path: `${MEDIA_PATH}/*` },
    { methods: ["GET", "POST"], path: `${prefix}/users/:username/outbox` },
    { methods: ["POST"], path: `${prefix}/users/:username/uploads` },
    { methods: ["GET"], path: `${prefix}/users/:username/inbox` },
    { methods: ["GET"], path: `${prefix}/users/:username/objects/:id` },
  ];
}
