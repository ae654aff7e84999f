/**
 * URLs as the world sees them. Behind a reverse proxy the request URL is the
 * internal one (another host, maybe another scheme), while signatures, page
 * ids and links must use the configured public origin.
 */
import type { FederationContext } from "../federation/context.ts";

/** Parameters of {@link publicUrl}. */
export interface PublicUrlParams {
  readonly ctx: FederationContext;
  readonly request: Request;
}

/** The configured origin with the request's path and query. */
export function publicUrl(params: PublicUrlParams): string {
  const url = new URL(params.request.url);
  return `${params.ctx.config.origin}${url.pathname}${url.search}`;
}

/** Parameters of {@link publicHost}. */
export interface PublicHostParams {
  readonly ctx: FederationContext;
}

/** The public host (with port when not the default), as used in handles: `alice@example.com`. */
export function publicHost(params: PublicHostParams): string {
  return new URL(params.ctx.config.origin).host;
}
