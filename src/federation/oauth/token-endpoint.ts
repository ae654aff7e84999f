/**
 * The token endpoint (RFC 6749 §3.2): authenticates the client, applies the
 * attempt limits, and hands the request to its grant. Failed client
 * authentications and bad grants count against the caller's address, so
 * guessing codes, refresh tokens or client secrets runs into 429s.
 */
import type { AccountContext } from "../accounts/account-context.ts";
import { authenticateClient, type ClientCredentials } from "./clients.ts";
import { grantAuthorizationCode, type GrantResult } from "./grant-authorization-code.ts";
import { grantClientCredentials } from "./grant-client-credentials.ts";
import { grantPassword } from "./grant-password.ts";
import { grantRefreshToken } from "./grant-refresh-token.ts";
import { oauthFailure } from "./oauth-failure.ts";

/** Parameters of {@link exchangeToken}. */
export interface ExchangeTokenParams {
  /** The form (or JSON) parameters of the request. */
  readonly params: Readonly<Record<string, string | undefined>>;
  /** From HTTP Basic or the body; null when the client sent neither. */
  readonly credentials: ClientCredentials | null;
  /** The client's address, for the attempt limits. */
  readonly address: string;
}

/** Handles a token request. */
export async function exchangeToken(ac: AccountContext, params: ExchangeTokenParams): Promise<GrantResult> {
  const { address } = params;
  const query = params.params;
  const now = () => ac.now().getTime();
  const verdict = ac.limiter.check({ address, now: now() });
  if (!verdict.allowed) return oauthFailure({ reason: "slow_down", message: verdict.message, retryAfterMs: verdict.retryAfterMs });

  const grantType = query.grant_type;
  if (grantType === undefined || grantType === "") return oauthFailure({ reason: "invalid_request", message: "grant_type is required" });
  const authenticated = await authenticateClient(ac, { credentials: params.credentials });
  if (!authenticated.ok) {
    ac.limiter.fail({ address, now: now() });
    return authenticated;
  }
  const client = authenticated.client;

  let result: GrantResult;
  switch (grantType) {
    case "authorization_code":
      result = await grantAuthorizationCode(ac, {
        client,
        code: query.code,
        redirectUri: query.redirect_uri,
        codeVerifier: query.code_verifier,
      });
      break;
    case "refresh_token":
      result = client.grantTypes.includes("refresh_token")
        ? await grantRefreshToken(ac, { client, refreshToken: query.refresh_token, scope: query.scope })
        : oauthFailure({ reason: "unauthorized_client", message: "this client may not use refresh tokens" });
      break;
    case "client_credentials":
      result = await grantClientCredentials(ac, { client, scope: query.scope });
      break;
    case "password":
      // Failures are counted by the login itself, per address and username.
      return grantPassword(ac, { client, username: query.username, password: query.password, scope: query.scope, address });
    default:
      return oauthFailure({ reason: "unsupported_grant_type", message: `grant_type ${JSON.stringify(grantType.slice(0, 40))} is not supported` });
  }
  if (!result.ok && result.reason === "invalid_grant") ac.limiter.fail({ address, now: now() });
  return result;
}
