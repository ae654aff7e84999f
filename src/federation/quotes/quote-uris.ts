/**
 * Where quote authorizations live: under their approving actor, at
 * `${prefix}/users/<username>/quote-authorizations/<id>`, so each can be
 * dereferenced and checked back to its owner.
 */
import { mintId } from "../../protocol/uris.ts";
import type { FederationContext } from "../context.ts";

/** The path segment under an actor. */
export const QUOTE_AUTHORIZATIONS_SEGMENT = "quote-authorizations";

/** Parameters of {@link quoteAuthorizationUri}. */
export interface QuoteAuthorizationUriParams {
  readonly username: string;
  readonly id: string;
}

/** The URI of an authorization by its local actor's username and id. */
export function quoteAuthorizationUri(ctx: FederationContext, params: QuoteAuthorizationUriParams): string {
  return `${ctx.uris.actor(params.username.toLowerCase())}/${QUOTE_AUTHORIZATIONS_SEGMENT}/${encodeURIComponent(params.id)}`;
}

/** Parameters of {@link newQuoteAuthorizationUri}. */
export interface NewQuoteAuthorizationUriParams {
  readonly username: string;
}

/** A fresh, unguessable authorization URI for a local actor. */
export function newQuoteAuthorizationUri(ctx: FederationContext, params: NewQuoteAuthorizationUriParams): string {
  return quoteAuthorizationUri(ctx, { username: params.username, id: mintId(ctx.now().getTime()) });
}
