/**
 * The client credentials grant: a confidential client gets a token for
 * itself, acting for no user. Such a token reads public data (and can be
 * introspected) but cannot act as any actor.
 */
import type { OAuthClientRecord } from "../../store/account-records.ts";
import type { AccountContext } from "../accounts/account-context.ts";
import { checkScopesWithin, parseScopes } from "../accounts/scopes.ts";
import { isConfidential } from "./clients.ts";
import type { GrantResult } from "./grant-authorization-code.ts";
import { oauthFailure } from "./oauth-failure.ts";
import { issueTokenResponse } from "./token-response.ts";

/** Parameters of {@link grantClientCredentials}. */
export interface GrantClientCredentialsParams {
  readonly client: OAuthClientRecord;
  readonly scope: string | undefined;
}

/** Issues a token to the client itself. */
export async function grantClientCredentials(ac: AccountContext, params: GrantClientCredentialsParams): Promise<GrantResult> {
  const { client } = params;
  if (!isConfidential({ client }) || !client.grantTypes.includes("client_credentials")) {
    return oauthFailure({ reason: "unauthorized_client", message: "this client may not use client_credentials" });
  }
  const parsed = parseScopes({ text: params.scope === undefined || params.scope === "" ? "read" : params.scope });
  if (!parsed.ok) return oauthFailure({ reason: "invalid_scope", message: parsed.message });
  const within = checkScopesWithin({ requested: parsed.scopes, allowed: client.scopes, admin: false });
  if (!within.ok) return oauthFailure({ reason: "invalid_scope", message: within.message });
  const response = await issueTokenResponse(ac, {
    userId: null,
    clientId: client.clientId,
    scopes: parsed.scopes,
    familyId: null,
    withRefresh: false,
  });
  return { ok: true, response };
}
