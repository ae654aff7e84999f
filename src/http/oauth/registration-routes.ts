/**
 * Registering applications: `/oauth/register` (RFC 7591, JSON) and
 * `/api/v1/apps` (Mastodon; form, JSON or multipart). Anyone may register,
 * as on Mastodon, so both are rate-limited per client address.
 */
import type { Hono, MiddlewareHandler } from "hono";
import { OAUTH_PATHS } from "../../federation/oauth/metadata.ts";
import { registerDynamicClient, registerMastodonApp } from "../../federation/oauth/registration.ts";
import type { AppEnv } from "../app-env.ts";
import type { ClientApi } from "../c2s/client-api.ts";
import { readInput } from "./request-input.ts";
import { oauthError, oauthJson } from "./token-routes.ts";

/** Parameters of {@link registerRegistrationRoutes}. */
export interface RegisterRegistrationRoutesParams {
  readonly app: Hono<AppEnv>;
  readonly api: ClientApi;
  /** Runs before each registration; none when absent. */
  readonly limiter?: MiddlewareHandler<AppEnv>;
}

/** Adds the two registration endpoints. */
export function registerRegistrationRoutes(params: RegisterRegistrationRoutesParams): void {
  const { app, api, limiter } = params;
  if (limiter !== undefined) {
    app.post(OAUTH_PATHS.register, limiter);
    app.post(OAUTH_PATHS.apps, limiter);
  }

  app.post(OAUTH_PATHS.register, async (c) => {
    const metadata = await readInput({ c, accept: ["json"] });
    const result = await registerDynamicClient(api.ac, { metadata });
    if (!result.ok) return oauthError({ c, failure: result });
    return oauthJson({ c, body: result.response, status: 201 });
  });

  app.post(OAUTH_PATHS.apps, async (c) => {
    const input = await readInput({ c, accept: ["form", "json", "multipart"] });
    const result = await registerMastodonApp(api.ac, { input });
    if (!result.ok) return oauthError({ c, failure: result });
    return oauthJson({ c, body: result.response });
  });
}
