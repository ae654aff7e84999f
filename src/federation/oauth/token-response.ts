/** The answer of a successful token request (RFC 6749 §5.1), with the tokens issued for it. */
import type { AccountStore } from "../../store/account-store.ts";
import type { AccountContext } from "../accounts/account-context.ts";
import { issueToken } from "../accounts/tokens.ts";

/** What the token endpoint answers. `created_at` is Mastodon's addition, which its clients read. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: "Bearer";
  readonly expires_in: number;
  readonly scope: string;
  readonly created_at: number;
  readonly refresh_token?: string;
}

/** Parameters of {@link issueTokenResponse}. */
export interface IssueTokenResponseParams {
  readonly userId: string | null;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly familyId: string | null;
  /** Also issue a refresh token in the same family. */
  readonly withRefresh: boolean;
  /** Write within this (transaction's) store. */
  readonly store?: AccountStore;
}

/** Issues an access token (and a refresh token) and builds the response. */
export async function issueTokenResponse(ac: AccountContext, params: IssueTokenResponseParams): Promise<TokenResponse> {
  const common = {
    userId: params.userId,
    clientId: params.clientId,
    scopes: params.scopes,
    familyId: params.familyId,
    ...(params.store === undefined ? {} : { store: params.store }),
  };
  const access = await issueToken(ac, { ...common, kind: "access", ttlMs: ac.config.accessTokenTtlMs });
  const refresh = params.withRefresh
    ? await issueToken(ac, { ...common, kind: "refresh", ttlMs: ac.config.refreshTokenTtlMs })
    : undefined;
  return {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: Math.floor(ac.config.accessTokenTtlMs / 1000),
    scope: params.scopes.join(" "),
    created_at: Math.floor(Date.parse(access.record.createdAt) / 1000),
    ...(refresh === undefined ? {} : { refresh_token: refresh.token }),
  };
}
