/**
 * The resource owner password grant, for setups that enable it (some older
 * clients know nothing else). It hands the user's password to the client,
 * so it is off unless configured, and it shares the login attempt limits.
 */
import type { OAuthClientRecord } from "../../store/account-records.ts";
import type { AccountContext } from "../accounts/account-context.ts";
import { checkScopesWithin, parseScopes } from "../accounts/scopes.ts";
import { authenticateUser } from "../accounts/users.ts";
import type { GrantResult } from "./grant-authorization-code.ts";
import { oauthFailure } from "./oauth-failure.ts";
import { issueTokenResponse } from "./token-response.ts";

/** Parameters of {@link grantPassword}. */
export interface GrantPasswordParams {
  readonly client: OAuthClientRecord;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly scope: string | undefined;
  readonly address: string;
}

/** Issues tokens for a username and password. */
export async function grantPassword(ac: AccountContext, params: GrantPasswordParams): Promise<GrantResult> {
  const { client } = params;
  if (!ac.config.passwordGrant) {
    return oauthFailure({ reason: "unsupported_grant_type", message: "the password grant is not enabled on this server" });
  }
  if (!client.grantTypes.includes("password")) {
    return oauthFailure({ reason: "unauthorized_client", message: "this client may not use the password grant" });
  }
  if (params.username === undefined || params.password === undefined) {
    return oauthFailure({ reason: "invalid_request", message: "username and password are required" });
  }
  const parsed = parseScopes({ text: params.scope === undefined || params.scope === "" ? "read" : params.scope });
  if (!parsed.ok) return oauthFailure({ reason: "invalid_scope", message: parsed.message });
  const login = await authenticateUser(ac, { username: params.username, password: params.password, address: params.address });
  if (!login.ok) {
    return login.reason === "rateLimited"
      ? oauthFailure({ reason: "slow_down", message: login.message, retryAfterMs: login.retryAfterMs })
      : oauthFailure({ reason: "invalid_grant", message: login.message });
  }
  const within = checkScopesWithin({ requested: parsed.scopes, allowed: client.scopes, admin: login.user.admin });
  if (!within.ok) return oauthFailure({ reason: "invalid_scope", message: within.message });
  const response = await issueTokenResponse(ac, {
    userId: login.user.id,
    clientId: client.clientId,
    scopes: parsed.scopes,
    familyId: null,
    withRefresh: client.grantTypes.includes("refresh_token"),
  });
  return { ok: true, response };
}
