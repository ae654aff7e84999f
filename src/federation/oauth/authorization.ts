/**
 * The authorization endpoint's logic (RFC 6749 §4.1): checking a request
 * before the user sees a consent page, and issuing the one-time code once
 * the user approved. Errors found before the client and its redirect URI
 * are known must be shown, never redirected: redirecting to an unchecked
 * URI would make this server an open redirector.
 */
import type { OAuthClientRecord, UserRecord } from "../../store/account-records.ts";
import type { AccountContext } from "../accounts/account-context.ts";
import { checkScopesWithin, parseScopes } from "../accounts/scopes.ts";
import { hashSecret, newRecordId, newSecret } from "../accounts/secrets.ts";
import { isConfidential } from "./clients.ts";
import type { OAuthErrorCode } from "./oauth-failure.ts";
import { checkCodeChallenge } from "./pkce.ts";
import { OUT_OF_BAND_REDIRECT } from "./redirect-uris.ts";

/** A checked authorization request. */
export interface AuthorizationRequest {
  readonly client: OAuthClientRecord;
  readonly redirectUri: string;
  readonly scopes: string[];
  readonly state: string | null;
  readonly codeChallenge: string | null;
}

/** Parameters of {@link checkAuthorizationRequest}. */
export interface CheckAuthorizationRequestParams {
  /** The query (or form) parameters of the request. */
  readonly params: Readonly<Record<string, string | undefined>>;
}

/** The request, an error to show, or an error to send back to the client. */
export type CheckAuthorizationRequestResult =
  | { readonly ok: true; readonly request: AuthorizationRequest }
  | { readonly ok: false; readonly redirect: false; readonly reason: OAuthErrorCode; readonly message: string }
  | {
      readonly ok: false;
      readonly redirect: true;
      readonly reason: OAuthErrorCode;
      readonly message: string;
      /** Where to send the error, with the client's state. */
      readonly location: string;
    };

/** Checks client, redirect URI, response type, scopes and PKCE of an authorization request. */
export async function checkAuthorizationRequest(
  ac: AccountContext,
  params: CheckAuthorizationRequestParams,
): Promise<CheckAuthorizationRequestResult> {
  const query = params.params;
  const clientId = query.client_id ?? "";
  const client = clientId === "" || clientId.length > 200 ? null : await ac.accounts.clients.get(clientId);
  if (client === null) return { ok: false, redirect: false, reason: "invalid_client", message: "unknown client_id" };
  const given = query.redirect_uri;
  let redirectUri: string;
  if (given === undefined || given === "") {
    // RFC 6749 §3.1.2.3: the one registered URI is implied.
    if (client.redirectUris.length !== 1) {
      return { ok: false, redirect: false, reason: "invalid_request", message: "redirect_uri is required" };
    }
    redirectUri = client.redirectUris[0]!;
  } else if (client.redirectUris.includes(given)) {
    redirectUri = given;
  } else {
    return { ok: false, redirect: false, reason: "invalid_request", message: "redirect_uri is not registered for this client" };
  }

  const state = query.state === undefined || query.state === "" ? null : query.state;
  const back = (reason: OAuthErrorCode, message: string): CheckAuthorizationRequestResult =>
    redirectUri === OUT_OF_BAND_REDIRECT
      ? { ok: false, redirect: false, reason, message }
      : { ok: false, redirect: true, reason, message, location: redirectWith({ redirectUri, params: { error: reason, error_description: message, state } }) };

  if (state !== null && state.length > 2000) return back("invalid_request", "state is too long");
  if (query.response_type !== "code") return back("unsupported_response_type", "response_type must be code");
  if (!client.grantTypes.includes("authorization_code")) {
    return back("unauthorized_client", "this client may not use the authorization code grant");
  }
  const scopes = parseScopes({ text: query.scope === undefined || query.scope === "" ? "read" : query.scope });
  if (!scopes.ok) return back("invalid_scope", scopes.message);
  const within = checkScopesWithin({ requested: scopes.scopes, allowed: client.scopes, admin: true });
  if (!within.ok) return back("invalid_scope", within.message);
  const challenge = checkCodeChallenge({ challenge: query.code_challenge, method: query.code_challenge_method });
  if (!challenge.ok) return back("invalid_request", challenge.message);
  if (challenge.challenge === null && !isConfidential({ client })) {
    return back("invalid_request", "code_challenge (S256) is required for public clients");
  }
  return {
    ok: true,
    request: { client, redirectUri, scopes: scopes.scopes, state, codeChallenge: challenge.challenge?.value ?? null },
  };
}

/** Parameters of {@link issueAuthorizationCode}. */
export interface IssueAuthorizationCodeParams {
  readonly request: AuthorizationRequest;
  readonly user: UserRecord;
}

/** The code, and where to send the user (null: show the code, out of band). */
export type IssueAuthorizationCodeResult =
  | { readonly ok: true; readonly code: string; readonly location: string | null }
  | { readonly ok: false; readonly reason: "invalid_scope"; readonly message: string; readonly location: string | null };

/** Issues a one-time code for an approved request. */
export async function issueAuthorizationCode(
  ac: AccountContext,
  params: IssueAuthorizationCodeParams,
): Promise<IssueAuthorizationCodeResult> {
  const { request, user } = params;
  const outOfBand = request.redirectUri === OUT_OF_BAND_REDIRECT;
  // Admin scopes are for admins: a client may list them, but only an admin's approval grants them.
  const within = checkScopesWithin({ requested: request.scopes, allowed: request.scopes, admin: user.admin });
  if (!within.ok) {
    const message = `${within.message}: only an admin may grant it`;
    return {
      ok: false,
      reason: "invalid_scope",
      message,
      location: outOfBand ? null : redirectWith({ redirectUri: request.redirectUri, params: { error: "invalid_scope", error_description: message, state: request.state } }),
    };
  }
  const code = newSecret({ kind: "code" });
  const now = ac.now();
  await ac.accounts.codes.add({
    codeHash: hashSecret({ secret: code }),
    clientId: request.client.clientId,
    userId: user.id,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallenge === null ? null : "S256",
    familyId: newRecordId(),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ac.config.authorizationCodeTtlMs).toISOString(),
    usedAt: null,
  });
  return {
    ok: true,
    code,
    location: outOfBand ? null : redirectWith({ redirectUri: request.redirectUri, params: { code, state: request.state } }),
  };
}

/** Parameters of {@link redirectWith}. */
export interface RedirectWithParams {
  readonly redirectUri: string;
  /** Added to the query; null values are left out. */
  readonly params: Readonly<Record<string, string | null>>;
}

/** The redirect URI with parameters added to its query, keeping the query it had. */
export function redirectWith(params: RedirectWithParams): string {
  const url = new URL(params.redirectUri);
  for (const [name, value] of Object.entries(params.params)) {
    if (value !== null) url.searchParams.set(name, value);
  }
  return url.toString();
}
