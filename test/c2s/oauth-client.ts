/**
 * An OAuth client of Outpost, over HTTP only: it registers itself (the
 * Mastodon way or by RFC 7591), sends a "browser" through the consent page
 * with PKCE (S256), follows the redirect to its loopback receiver, and
 * exchanges, refreshes and revokes tokens at the token endpoints.
 */
import { createHash, randomBytes } from "node:crypto";
import { cookieHeaderOf, parseAuthorizeForm } from "./authorize-form.ts";
import type { RedirectReceiver } from "./redirect-receiver.ts";

/** A registered application. */
export interface OAuthClient {
  readonly origin: string;
  readonly clientId: string;
  /** Null for a public client, which identifies itself by its id alone. */
  readonly clientSecret: string | null;
  readonly redirectUri: string;
}

/** A JSON answer. */
export interface JsonAnswer {
  readonly status: number;
  readonly headers: Headers;
  // Answers are read property by property in assertions.
  readonly body: Record<string, any>;
}

/** What the token endpoint answers on success. */
export interface TokenSet {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly scope: string;
  readonly token_type: string;
  readonly expires_in: number;
}

/** Reads a response as JSON (an empty body is `{}`). */
export async function jsonOf(response: Response): Promise<JsonAnswer> {
  const text = await response.text();
  let body: Record<string, any>;
  try {
    body = text === "" ? {} : (JSON.parse(text) as Record<string, any>);
  } catch {
    throw new Error(`${response.url}: ${response.status} answered something that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** Parameters of {@link registerMastodonApp}. */
export interface RegisterMastodonAppParams {
  readonly origin: string;
  readonly name: string;
  readonly redirectUri: string;
  readonly scopes: string;
}

/** `POST /api/v1/apps` as Mastodon clients send it (a form); a confidential client. */
export async function registerMastodonApp(params: RegisterMastodonAppParams): Promise<{ client: OAuthClient; answer: JsonAnswer }> {
  const answer = await jsonOf(
    await fetch(`${params.origin}/api/v1/apps`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_name: params.name, redirect_uris: params.redirectUri, scopes: params.scopes, website: "https://app.example" }),
    }),
  );
  if (answer.status !== 200) throw new Error(`app registration failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  const client = { origin: params.origin, clientId: answer.body.client_id, clientSecret: answer.body.client_secret, redirectUri: params.redirectUri };
  return { client, answer };
}

/** Parameters of {@link registerPublicClient}. */
export interface RegisterPublicClientParams {
  readonly origin: string;
  readonly name: string;
  readonly redirectUri: string;
  readonly scope: string;
}

/** RFC 7591 registration of a public client (`token_endpoint_auth_method: none`). */
export async function registerPublicClient(params: RegisterPublicClientParams): Promise<{ client: OAuthClient; answer: JsonAnswer }> {
  const answer = await jsonOf(
    await fetch(`${params.origin}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: params.name,
        redirect_uris: [params.redirectUri],
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        scope: params.scope,
      }),
    }),
  );
  if (answer.status !== 201) throw new Error(`dynamic registration failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { client: { origin: params.origin, clientId: answer.body.client_id, clientSecret: null, redirectUri: params.redirectUri }, answer };
}

/** A PKCE verifier and its S256 challenge. */
export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

/** A fresh PKCE pair (RFC 7636 §4.1–4.2). */
export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier, "ascii").digest("base64url") };
}

/** Parameters of {@link authorizeInBrowser}. */
export interface AuthorizeInBrowserParams {
  readonly client: OAuthClient;
  readonly receiver: RedirectReceiver;
  readonly username: string;
  readonly password: string;
  readonly scope: string;
  readonly pkce: Pkce;
}

/** What the consent page led to. */
export interface Authorized {
  readonly code: string;
  /** The state the redirect carried back (checked against the one sent). */
  readonly state: string;
  /** Where the page sent the browser. */
  readonly location: string;
}

/**
 * Does what a browser does on the consent page: GET it, read the form and
 * its cookie, submit login and approval, and follow the redirect to the
 * application's receiver, which gets the code.
 */
export async function authorizeInBrowser(params: AuthorizeInBrowserParams): Promise<Authorized> {
  const { client, pkce } = params;
  const state = randomBytes(12).toString("base64url");
  const query = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: params.scope,
    state,
    code_challenge: pkce.challenge,
    code_challenge_method: "S256",
  });
  const pageUrl = `${client.origin}/oauth/authorize?${query}`;
  const page = await fetch(pageUrl, { headers: { accept: "text/html" } });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const parsed = parseAuthorizeForm({ html, pageUrl });
  if (!parsed.ok) throw new Error(parsed.message);
  const cookie = cookieHeaderOf({ response: page });

  const submitted = await fetch(parsed.form.action, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ ...parsed.form.hidden, username: params.username, password: params.password, decision: "approve" }),
  });
  const location = submitted.headers.get("location");
  if (submitted.status !== 302 || location === null) {
    throw new Error(`the consent form answered ${submitted.status}: ${(await submitted.text()).slice(0, 300)}`);
  }
  await submitted.body?.cancel();
  // The browser follows the redirect to the application, which reads the code off its own URL.
  const before = params.receiver.received.length;
  const followed = await fetch(location);
  await followed.body?.cancel();
  const arrived = params.receiver.received[before];
  if (arrived === undefined) throw new Error(`the redirect to ${location} did not reach the application`);
  const code = arrived.searchParams.get("code");
  if (code === null) throw new Error(`the application got no code: ${arrived.search}`);
  return { code, state: arrived.searchParams.get("state") ?? "", location };
}

/** Parameters of {@link tokenRequest}. */
export interface TokenRequestParams {
  readonly client: OAuthClient;
  /** `/oauth/token`, `/oauth/revoke`, … */
  readonly path: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** A request to one of the token endpoints: a confidential client authenticates with HTTP Basic, a public one sends its id. */
export async function tokenRequest(params: TokenRequestParams): Promise<JsonAnswer> {
  const { client } = params;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  const fields: Record<string, string> = { ...params.fields };
  if (client.clientSecret === null) fields.client_id = client.clientId;
  else {
    const basic = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
  }
  return jsonOf(await fetch(`${client.origin}${params.path}`, { method: "POST", headers, body: new URLSearchParams(fields) }));
}

/** Parameters of {@link exchangeCode}. */
export interface ExchangeCodeParams {
  readonly client: OAuthClient;
  readonly code: string;
  readonly verifier: string;
}

/** The authorization code grant with the PKCE verifier. */
export function exchangeCode(params: ExchangeCodeParams): Promise<JsonAnswer> {
  return tokenRequest({
    client: params.client,
    path: "/oauth/token",
    fields: { grant_type: "authorization_code", code: params.code, redirect_uri: params.client.redirectUri, code_verifier: params.verifier },
  });
}

/** Parameters of {@link signIn}. */
export interface SignInParams {
  readonly origin: string;
  readonly receiver: RedirectReceiver;
  readonly username: string;
  readonly password: string;
  readonly scope: string;
}

/** The whole flow of a public client, for tests that only need a token: register, consent with PKCE, exchange. */
export async function signIn(params: SignInParams): Promise<TokenSet> {
  const { client } = await registerPublicClient({ origin: params.origin, name: "E2E client", redirectUri: params.receiver.redirectUri, scope: params.scope });
  const pkce = newPkce();
  const authorized = await authorizeInBrowser({ ...params, client, pkce });
  const exchanged = await exchangeCode({ client, code: authorized.code, verifier: pkce.verifier });
  if (exchanged.status !== 200) throw new Error(`the code exchange failed: ${exchanged.status} ${JSON.stringify(exchanged.body)}`);
  return exchanged.body as TokenSet;
}
