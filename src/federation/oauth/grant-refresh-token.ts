/**
 * The refresh token grant with rotation: each refresh token works once and
 * is replaced by a new one in the same family. A used refresh token that
 * comes back means two parties hold it, so the whole family is revoked
 * (OAuth 2.0 Security BCP §4.14).
 */
import type { OAuthClientRecord } from "../../store/account-records.ts";
import type { AccountContext } from "../accounts/account-context.ts";
import { checkScopesWithin, parseScopes } from "../accounts/scopes.ts";
import { findLiveToken } from "../accounts/tokens.ts";
import type { GrantResult } from "./grant-authorization-code.ts";
import { oauthFailure } from "./oauth-failure.ts";
import { issueTokenResponse } from "./token-response.ts";

/** Parameters of {@link grantRefreshToken}. */
export interface GrantRefreshTokenParams {
  readonly client: OAuthClientRecord;
  readonly refreshToken: string | undefined;
  /** A narrower scope than the original, when given. */
  readonly scope: string | undefined;
}

/** Exchanges a refresh token for a new access token and a new refresh token. */
export async function grantRefreshToken(ac: AccountContext, params: GrantRefreshTokenParams): Promise<GrantResult> {
  const { client } = params;
  if (params.refreshToken === undefined || params.refreshToken === "") {
    return oauthFailure({ reason: "invalid_request", message: "refresh_token is required" });
  }
  const invalid = (message: string) => oauthFailure({ reason: "invalid_grant", message });
  const found = await findLiveToken(ac, { token: params.refreshToken, kind: "refresh" });
  const now = ac.now().toISOString();
  if (!found.ok) {
    if (found.reason === "revokedToken" && found.token?.familyId !== null && found.token?.familyId !== undefined) {
      const revoked = await ac.accounts.tokens.revokeFamily(found.token.familyId, now);
      ac.logger.warn({ clientId: found.token.clientId, revoked }, "a used refresh token was presented again; its family is revoked");
    }
    return invalid(found.message);
  }
  const old = found.token;
  if (old.clientId !== client.clientId) return invalid("the refresh token was issued to another client");
  let scopes = old.scopes;
  if (params.scope !== undefined && params.scope !== "") {
    const parsed = parseScopes({ text: params.scope });
    if (!parsed.ok) return oauthFailure({ reason: "invalid_scope", message: parsed.message });
    const within = checkScopesWithin({ requested: parsed.scopes, allowed: old.scopes, admin: true });
    if (!within.ok) return oauthFailure({ reason: "invalid_scope", message: within.message });
    scopes = parsed.scopes;
  }
  const response = await ac.accounts.transaction(async (tx) => {
    // The revocation is the claim: of two concurrent refreshes only one gets past it.
    if (!(await tx.tokens.revoke(old.id, now))) return null;
    return issueTokenResponse(ac, { userId: old.userId, clientId: client.clientId, scopes, familyId: old.familyId, withRefresh: true, store: tx });
  });
  if (response === null) return invalid("the refresh token was already used");
  return { ok: true, response };
}
