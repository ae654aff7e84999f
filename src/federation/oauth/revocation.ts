/**
 * Token revocation (RFC 7009). A client may revoke only tokens issued to it;
 * anything else (an unknown token, another client's) is answered the same
 * way, with success, so the endpoint reveals nothing. Revoking a refresh
 * token ends its whole family, access tokens included.
 */
import type { AccountContext } from "../accounts/account-context.ts";
import { hashSecret } from "../accounts/secrets.ts";
import { authenticateClient, type ClientCredentials } from "./clients.ts";
import { oauthFailure, type OAuthFailure } from "./oauth-failure.ts";

/** Parameters of {@link revokeClientToken}. */
export interface RevokeClientTokenParams {
  readonly credentials: ClientCredentials | null;
  readonly token: string | undefined;
  readonly address: string;
}

/** Done (whether or not anything was revoked), or the client was not recognised. */
export type RevokeClientTokenResult = { readonly ok: true } | OAuthFailure;

/** Revokes a token of the calling client. */
export async function revokeClientToken(ac: AccountContext, params: RevokeClientTokenParams): Promise<RevokeClientTokenResult> {
  const verdict = ac.limiter.check({ address: params.address, now: ac.now().getTime() });
  if (!verdict.allowed) return oauthFailure({ reason: "slow_down", message: verdict.message, retryAfterMs: verdict.retryAfterMs });
  const authenticated = await authenticateClient(ac, { credentials: params.credentials });
  if (!authenticated.ok) {
    ac.limiter.fail({ address: params.address, now: ac.now().getTime() });
    return authenticated;
  }
  if (params.token === undefined || params.token === "") return oauthFailure({ reason: "invalid_request", message: "token is required" });
  if (params.token.length > 200) return { ok: true };
  const token = await ac.accounts.tokens.getByHash(hashSecret({ secret: params.token }));
  if (token === null || token.clientId !== authenticated.client.clientId) return { ok: true };
  const now = ac.now().toISOString();
  if (token.kind === "refresh" && token.familyId !== null) await ac.accounts.tokens.revokeFamily(token.familyId, now);
  else await ac.accounts.tokens.revoke(token.id, now);
  return { ok: true };
}
