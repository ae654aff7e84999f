/**
 * The client-to-server endpoints an actor document advertises under
 * `endpoints`, so that a generic ActivityPub client finds where to log in,
 * upload and fetch through the server.
 */
import type { LocalUris } from "../../protocol/uris.ts";
import { OAUTH_PATHS } from "../oauth/metadata.ts";

/** Where the proxy endpoint lives, relative to the origin. */
export const PROXY_PATH = "/api/proxy";

/** Parameters of {@link clientEndpoints}. */
export interface ClientEndpointsParams {
  readonly uris: LocalUris;
  readonly username: string;
}

/** The `oauthAuthorizationEndpoint`, `oauthTokenEndpoint`, `uploadMedia` and `proxyUrl` of an actor. */
export function clientEndpoints(params: ClientEndpointsParams): Record<string, string> {
  const { uris } = params;
  return {
    oauthAuthorizationEndpoint: uris.origin + OAUTH_PATHS.authorize,
    oauthTokenEndpoint: uris.origin + OAUTH_PATHS.token,
    uploadMedia: uploadMediaUri(params),
    proxyUrl: uris.origin + PROXY_PATH,
  };
}

/** Each actor's upload endpoint: the upload is published as that actor. */
export function uploadMediaUri(params: ClientEndpointsParams): string {
  return `${params.uris.actor(params.username)}/uploads`;
}
