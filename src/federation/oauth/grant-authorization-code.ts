/**
 * The authorization code grant: a one-time code, issued to one client for
 * one redirect URI, with the PKCE verifier when a challenge was sent. A code
 * presented twice is a sign it was stolen: everything the first exchange
 * obtained is revoked (RFC 6749 §4.1.2).
 */
import type { OAuthClientRecord } from "../../store/account-records.ts";
import type { AccountContext } from "../accounts/account-context.ts";
import { hashSecret } from "../accounts/secrets.ts";
import { oauthFailure, type OAuthFailure } from "./oauth-failure.ts";
import { verifyCodeVerifier } from "./pkce.ts";
import { issueTokenResponse, type TokenResponse } from "./token-response.ts";

/** Parameters of {@link grantAuthorizationCode}. */
export interface GrantAuthorizationCodeParams {
  /** The authenticated client. */
  readonly client: OAuthClientRecord;
  readonly code: string | undefined;
  readonly redirectUri: string | undefined;
  readonly codeVerifier: string | undefined;
}

/** Tokens, or why not. */
export type GrantResult = { readonly ok: true; readonly response: TokenResponse } | OAuthFailure;

/** Exchanges an authorization code for tokens. */
export async function grantAuthorizationCode(ac: AccountContext, params: GrantAuthorizationCodeParams): Promise<GrantResult> {
  const { client } = params;
  if (params.code === undefined || params.code === "" || params.code.length > 200) {
    return oauthFailure({ reason: "invalid_request", message: "code is required" });
  }
  const invalid = (message: string) => oauthFailure({ reason: "invalid_grant", message });
  const now = ac.now();
  const consumed = await ac.accounts.codes.consume(hashSecret({ secret: params.code }), now.toISOString());
  if (consumed.kind === "missing") return invalid("the code is not valid");
  const code = consumed.code;
  if (consumed.kind === "reused") {
    const revoked = await ac.accounts.tokens.revokeFamily(code.familyId, now.toISOString());
    ac.logger.warn({ clientId: code.clientId, revoked }, "an authorization code was presented twice; its tokens are revoked");
    return invalid("the code was already used");
  }
  if (code.clientId !== client.clientId) return invalid("the code was issued to another client");
  if (Date.parse(code.expiresAt) <= now.getTime()) return invalid("the code expired");
  // RFC 6749 §4.1.3: the redirect URI must be the one of the authorization request.
  if ((params.redirectUri ?? code.redirectUri) !== code.redirectUri) return invalid("redirect_uri does not match the authorization request");
  if (code.codeChallenge !== null) {
    const verified = verifyCodeVerifier({ verifier: params.codeVerifier, challenge: code.codeChallenge });
    if (!verified.ok) return invalid(verified.message);
  } else if (params.codeVerifier !== undefined && params.codeVerifier !== "") {
    // A verifier for a code issued without a challenge means the request was tampered with.
    return invalid("code_verifier given but the authorization request had no code_challenge");
  }
  if ((await ac.accounts.users.get(code.userId)) === null) return invalid("the user no longer exists");
  const response = await issueTokenResponse(ac, {
    userId: code.userId,
    clientId: client.clientId,
    scopes: code.scopes,
    familyId: code.familyId,
    withRefresh: client.grantTypes.includes("refresh_token"),
  });
  return { ok: true, response };
}
