/** `/.well-known/oauth-authorization-server`: the authorization server metadata (RFC 8414). */
import type { Hono } from "hono";
import { buildAuthorizationServerMetadata } from "../../federation/oauth/metadata.ts";
import type { AppEnv } from "../app-env.ts";
import type { ClientApi } from "../c2s/client-api.ts";

/** Parameters of {@link registerMetadataRoute}. */
export interface RegisterMetadataRouteParams {
  readonly app: Hono<AppEnv>;
  readonly api: ClientApi;
}

/** Adds the metadata document. */
export function registerMetadataRoute(params: RegisterMetadataRouteParams): void {
  const { app, api } = params;
  const document = buildAuthorizationServerMetadata({ origin: api.ctx.config.origin, passwordGrant: api.ac.config.passwordGrant });
  app.get("/.well-known/oauth-authorization-server", (c) =>
    c.body(JSON.stringify(document), 200, {
      "Content-Type": "application/json; charset=utf-8",
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": "public, max-age=3600",
    }),
  );
}
