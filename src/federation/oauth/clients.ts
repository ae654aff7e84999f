/**
 * OAuth clients: registering an application and recognising it at the token
 * endpoint. Confidential clients get a secret (shown once, kept as a hash);
 * public clients (single-page and native apps) cannot keep one, so they are
 * bound to PKCE instead.
 */
import { timingSafeEqual } from "node:crypto";
import type { OAuthClientRecord } from "../../store/account-records.ts";
import type { AccountContext } from "../accounts/account-context.ts";
import { checkScopesWithin } from "../accounts/scopes.ts";
import { hashSecret, newRecordId, newSecret } from "../accounts/secrets.ts";
import { oauthFailure, type OAuthFailure } from "./oauth-failure.ts";
import { checkRedirectUris } from "./redirect-uris.ts";

/** Grant types a client may be registered for. */
export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials", "password"] as const;

/** One of {@link GRANT_TYPES}. */
export type GrantType = (typeof GRANT_TYPES)[number];

/** Parameters of {@link registerClient}. */
export interface RegisterClientParams {
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
  readonly grantTypes: readonly GrantType[];
  /** Whether the client can keep a secret (a server) or not (a browser or phone app). */
  readonly confidential: boolean;
  readonly website?: string | null;
}

/** The client and its secret (null for public clients), or why not. */
export type RegisterClientResult =
  | { readonly ok: true; readonly client: OAuthClientRecord; readonly clientSecret: string | null }
  | OAuthFailure;

/** Registers a client after checking its redirect URIs, scopes and grants. */
export async function registerClient(ac: AccountContext, params: RegisterClientParams): Promise<RegisterClientResult> {
  const name = params.name.trim();
  if (name === "" || name.length > 200) {
    return oauthFailure({ reason: "invalid_client_metadata", message: "the client name must have 1–200 characters" });
  }
  const uris = checkRedirectUris({ uris: params.redirectUris });
  if (!uris.ok) return oauthFailure({ reason: "invalid_redirect_uri", message: uris.message });
  const scopes = checkScopesWithin({ requested: params.scopes, allowed: params.scopes, admin: false });
  if (!scopes.ok) return oauthFailure({ reason: "invalid_scope", message: scopes.message });
  if (!params.confidential && params.grantTypes.includes("client_credentials")) {
    return oauthFailure({ reason: "invalid_client_metadata", message: "a public client cannot use client_credentials" });
  }
  const website = params.website === undefined || params.website === null || params.website === "" ? null : params.website;
  if (website !== null && !/^https?:\/\/[^\s]{1,2000}$/.test(website)) {
    return oauthFailure({ reason: "invalid_client_metadata", message: "the website must be an http(s) URL" });
  }
  const clientSecret = params.confidential ? newSecret({ kind: "clientSecret" }) : null;
  const client: OAuthClientRecord = {
    clientId: newRecordId().replaceAll("-", ""),
    clientSecretHash: clientSecret === null ? null : hashSecret({ secret: clientSecret }),
    name,
    redirectUris: uris.uris,
    scopes: [...params.scopes],
    grantTypes: [...new Set(params.grantTypes)],
    website,
    createdAt: ac.now().toISOString(),
  };
  await ac.accounts.clients.create(client);
  ac.logger.info({ clientId: client.clientId, name, confidential: params.confidential }, "OAuth client registered");
  return { ok: true, client, clientSecret };
}

/** How a client identified itself at an endpoint. */
export interface ClientCredentials {
  readonly clientId: string;
  /** Null when none was sent (public clients). */
  readonly clientSecret: string | null;
}

/** Parameters of {@link authenticateClient}. */
export interface AuthenticateClientParams {
  readonly credentials: ClientCredentials | null;
}

/** The client, or invalid_client. */
export type AuthenticateClientResult = { readonly ok: true; readonly client: OAuthClientRecord } | OAuthFailure;

/** Recognises a client: a confidential one by its secret, a public one by its id alone. */
export async function authenticateClient(ac: AccountContext, params: AuthenticateClientParams): Promise<AuthenticateClientResult> {
  const refused = oauthFailure({ reason: "invalid_client", message: "client authentication failed" });
  const credentials = params.credentials;
  if (credentials === null || credentials.clientId === "" || credentials.clientId.length > 200) return refused;
  const client = await ac.accounts.clients.get(credentials.clientId);
  if (client === null) return refused;
  if (client.clientSecretHash === null) {
    // A public client that sends a secret is confused or impersonating; either way, no.
    return credentials.clientSecret === null ? { ok: true, client } : refused;
  }
  if (credentials.clientSecret === null) return refused;
  const expected = Buffer.from(client.clientSecretHash, "hex");
  const actual = Buffer.from(hashSecret({ secret: credentials.clientSecret }), "hex");
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? { ok: true, client } : refused;
}

/** Parameters of {@link isConfidential}. */
export interface IsConfidentialParams {
  readonly client: OAuthClientRecord;
}

/** Whether the client holds a secret. */
export function isConfidential(params: IsConfidentialParams): boolean {
  return params.client.clientSecretHash !== null;
}
