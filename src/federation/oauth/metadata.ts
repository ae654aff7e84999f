/** The authorization server metadata document (RFC 8414). */
import { KNOWN_SCOPES } from "../accounts/scopes.ts";

/** Where the OAuth endpoints live, relative to the origin. */
export const OAUTH_PATHS = {
  authorize: "/oauth/authorize",
  token: "/oauth/token",
  revoke: "/oauth/revoke",
  introspect: "/oauth/introspect",
  register: "/oauth/register",
  apps: "/api/v1/apps",
} as const;

/** Parameters of {@link buildAuthorizationServerMetadata}. */
export interface AuthorizationServerMetadataParams {
  readonly origin: string;
  readonly passwordGrant: boolean;
}

/** The metadata served at `/.well-known/oauth-authorization-server`. */
export function buildAuthorizationServerMetadata(params: AuthorizationServerMetadataParams): Record<string, unknown> {
  const origin = params.origin.replace(/\/+$/, "");
  const grants = ["authorization_code", "refresh_token", "client_credentials"];
  if (params.passwordGrant) grants.push("password");
  return {
    issuer: origin,
    authorization_endpoint: origin + OAUTH_PATHS.authorize,
    token_endpoint: origin + OAUTH_PATHS.token,
    revocation_endpoint: origin + OAUTH_PATHS.revoke,
    introspection_endpoint: origin + OAUTH_PATHS.introspect,
    registration_endpoint: origin + OAUTH_PATHS.register,
    // Mastodon's app registration, which fediverse clients look for.
    app_registration_endpoint: origin + OAUTH_PATHS.apps,
    scopes_supported: KNOWN_SCOPES,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: grants,
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none", "client_secret_basic", "client_secret_post"],
    revocation_endpoint_auth_methods_supported: ["none", "client_secret_basic", "client_secret_post"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "bearer"],
  };
}
