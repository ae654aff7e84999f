/**
 * OAuth errors as results: the error code of RFC 6749 §5.2 (and RFC 7591 for
 * registration) as the typed reason, a message for people, and the HTTP
 * status the route answers with.
 */

/** The error codes this server answers with. */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "unsupported_token_type"
  | "invalid_scope"
  | "access_denied"
  | "invalid_redirect_uri"
  | "invalid_client_metadata"
  | "slow_down";

/** A refusal of an OAuth request. */
export interface OAuthFailure {
  readonly ok: false;
  readonly reason: OAuthErrorCode;
  readonly message: string;
  readonly status: 400 | 401 | 403 | 429;
  /** With `slow_down`: when to try again. */
  readonly retryAfterMs?: number;
}

/** Parameters of {@link oauthFailure}. */
export interface OAuthFailureParams {
  readonly reason: OAuthErrorCode;
  readonly message: string;
  readonly status?: OAuthFailure["status"];
  readonly retryAfterMs?: number;
}

/** Builds a refusal; invalid_client answers 401, slow_down 429, the rest 400 unless told. */
export function oauthFailure(params: OAuthFailureParams): OAuthFailure {
  const status = params.status ?? (params.reason === "invalid_client" ? 401 : params.reason === "slow_down" ? 429 : 400);
  return {
    ok: false,
    reason: params.reason,
    message: params.message,
    status,
    ...(params.retryAfterMs === undefined ? {} : { retryAfterMs: params.retryAfterMs }),
  };
}
