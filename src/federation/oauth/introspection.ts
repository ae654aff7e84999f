/**
 * Token introspection (RFC 7662): tells a protected resource whether a token
 * is live and what it allows. Callers are trusted parties only: an admin's
 * token with `admin:read`, or a confidential client asking about its own
 * tokens. Everything not live answers just `{ "active": false }`.
 */
import type { OAuthClientRecord, UserRecord } from "../../store/account-records.ts";
import type { AccountContext } from "../accounts/account-context.ts";
import { findLiveToken } from "../accounts/tokens.ts";

/** Who asks. */
export type IntrospectionCaller =
  | { readonly kind: "admin"; readonly user: UserRecord }
  | { readonly kind: "client"; readonly client: OAuthClientRecord };

/** Parameters of {@link introspectToken}. */
export interface IntrospectTokenParams {
  readonly caller: IntrospectionCaller;
  readonly token: string;
  /** "access_token" or "refresh_token"; both are tried either way. */
  readonly hint?: string;
}

/** The RFC 7662 response. */
export type IntrospectionResponse = { readonly active: false } | (Readonly<Record<string, unknown>> & { readonly active: true });

/** Describes a token to a trusted caller. */
export async function introspectToken(ac: AccountContext, params: IntrospectTokenParams): Promise<IntrospectionResponse> {
  const order = params.hint === "refresh_token" ? (["refresh", "access"] as const) : (["access", "refresh"] as const);
  for (const kind of order) {
    const found = await findLiveToken(ac, { token: params.token, kind });
    if (!found.ok) continue;
    const { token, user } = found;
    if (params.caller.kind === "client" && token.clientId !== params.caller.client.clientId) return { active: false };
    const response: Record<string, unknown> & { active: true } = {
      active: true,
      scope: token.scopes.join(" "),
      token_type: kind === "access" ? "Bearer" : "refresh_token",
      iat: Math.floor(Date.parse(token.createdAt) / 1000),
    };
    if (token.clientId !== null) response.client_id = token.clientId;
    if (user !== null) {
      response.username = user.username;
      response.sub = user.id;
    }
    if (token.expiresAt !== null) response.exp = Math.floor(Date.parse(token.expiresAt) / 1000);
    return response;
  }
  return { active: false };
}
