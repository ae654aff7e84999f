/**
 * Bearer token authentication of the client API (RFC 6750). A request with
 * no token is answered 401 with a bare challenge; a token that is unknown,
 * expired or revoked, 401 with `error="invalid_token"`; a token without the
 * scope, 403 with `error="insufficient_scope"` and the scope it needs.
 */
import type { Context, MiddlewareHandler } from "hono";
import { checkScopes } from "../../federation/accounts/scopes.ts";
import { findLiveToken } from "../../federation/accounts/tokens.ts";
import type { TokenRecord, UserRecord } from "../../store/account-records.ts";
import type { AppEnv } from "../app-env.ts";
import type { ClientApi } from "../c2s/client-api.ts";
import { HttpError } from "../errors.ts";

/** Who a request acts for. */
export interface TokenAuth {
  readonly token: TokenRecord;
  /** Null for client-credentials tokens, which act for an application alone. */
  readonly user: UserRecord | null;
}

const REALM = 'Bearer realm="outpost"';
const authByRequest = new WeakMap<Request, TokenAuth>();

/** Parameters of {@link bearerTokenOf}. */
export interface BearerTokenOfParams {
  readonly c: Context<AppEnv>;
}

/**
 * The bearer token of a request: null when it sent none (no Authorization
 * header, or another scheme, such as a server's `Signature`), "" when the
 * Bearer credentials are malformed.
 */
export function bearerTokenOf(params: BearerTokenOfParams): string | null {
  const header = params.c.req.header("authorization");
  if (header === undefined || !/^Bearer(\s|$)/i.test(header)) return null;
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(header);
  return match === null ? "" : match[1]!;
}

/** Parameters of {@link authenticateRequest}. */
export interface AuthenticateRequestParams {
  readonly api: ClientApi;
  readonly c: Context<AppEnv>;
  /** Scopes the token must cover. */
  readonly scopes: readonly string[];
}

/** The request's token and user; throws the 401 or 403 to answer otherwise. */
export async function authenticateRequest(params: AuthenticateRequestParams): Promise<TokenAuth> {
  const { api, c } = params;
  const known = authByRequest.get(c.req.raw);
  const auth = known ?? (await authenticateToken(api, c));
  authByRequest.set(c.req.raw, auth);
  const allowed = checkScopes({ granted: auth.token.scopes, required: params.scopes });
  if (!allowed.ok) {
    throw new HttpError({
      status: 403,
      message: allowed.message,
      headers: {
        "WWW-Authenticate": `${REALM}, error="insufficient_scope", error_description="${quoted(allowed.message)}", scope="${allowed.missing.join(" ")}"`,
      },
    });
  }
  return auth;
}

async function authenticateToken(api: ClientApi, c: Context<AppEnv>): Promise<TokenAuth> {
  const token = bearerTokenOf({ c });
  if (token === null) {
    throw new HttpError({ status: 401, message: "an access token is required", headers: { "WWW-Authenticate": REALM } });
  }
  const found = token === "" ? null : await findLiveToken(api.ac, { token, kind: "access" });
  if (found === null || !found.ok) {
    const message = found === null ? "the bearer token is malformed" : found.message;
    throw new HttpError({
      status: 401,
      message,
      headers: { "WWW-Authenticate": `${REALM}, error="invalid_token", error_description="${quoted(message)}"` },
    });
  }
  return { token: found.token, user: found.user };
}

/** Parameters of {@link requireToken}. */
export interface RequireTokenParams {
  readonly api: ClientApi;
  readonly scopes: readonly string[];
}

/** Middleware admitting only requests whose token covers `scopes`; handlers read it with {@link tokenAuthOf}. */
export function requireToken(params: RequireTokenParams): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await authenticateRequest({ api: params.api, c, scopes: params.scopes });
    await next();
  };
}

/** Parameters of {@link tokenAuthOf}. */
export interface TokenAuthOfParams {
  readonly c: Context<AppEnv>;
}

/** The token of a request that {@link requireToken} admitted. */
export function tokenAuthOf(params: TokenAuthOfParams): TokenAuth {
  const auth = authByRequest.get(params.c.req.raw);
  if (auth === undefined) throw new Error("tokenAuthOf: the route is not behind requireToken");
  return auth;
}

/** Parameters of {@link userOf}. */
export interface UserOfParams {
  readonly auth: TokenAuth;
}

/** The token's user; a 403 for tokens that act for no user. */
export function userOf(params: UserOfParams): UserRecord {
  if (params.auth.user === null) {
    throw new HttpError({ status: 403, message: "this token belongs to an application and acts for no user" });
  }
  return params.auth.user;
}

/** A value inside a quoted-string of a challenge: quotes and backslashes escaped, controls dropped. */
function quoted(text: string): string {
  return text.replace(/[\\"]/g, "\\$&").replace(/[\x00-\x1f\x7f]/g, " ");
}
