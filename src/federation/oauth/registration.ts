/**
 * The two ways an application registers itself: OAuth Dynamic Client
 * Registration (RFC 7591), and the Mastodon API's `POST /api/v1/apps`, which
 * most fediverse clients use. Both end in {@link registerClient}; they differ
 * in field names and in what they answer.
 */
import { z } from "zod";
import type { AccountContext } from "../accounts/account-context.ts";
import { parseScopes } from "../accounts/scopes.ts";
import { registerClient, type GrantType } from "./clients.ts";
import { oauthFailure, type OAuthFailure } from "./oauth-failure.ts";

const stringList = z.array(z.string().max(2000)).max(20);

/** RFC 7591 client metadata, as far as this server uses it. */
const dynamicMetadataSchema = z.object({
  redirect_uris: stringList.min(1),
  client_name: z.string().max(200).optional(),
  client_uri: z.string().max(2000).optional(),
  grant_types: z.array(z.enum(["authorization_code", "refresh_token", "client_credentials"])).max(3).optional(),
  response_types: z.array(z.literal("code")).max(1).optional(),
  token_endpoint_auth_method: z.enum(["none", "client_secret_basic", "client_secret_post"]).optional(),
  scope: z.string().max(2000).optional(),
});

/** Parameters of {@link registerDynamicClient}. */
export interface RegisterDynamicClientParams {
  /** The request body as parsed JSON. */
  readonly metadata: unknown;
}

/** The RFC 7591 registration response, or why not. */
export type RegisterDynamicClientResult = { readonly ok: true; readonly response: Record<string, unknown> } | OAuthFailure;

/** Registers a client from RFC 7591 metadata; `token_endpoint_auth_method: none` makes it public. */
export async function registerDynamicClient(ac: AccountContext, params: RegisterDynamicClientParams): Promise<RegisterDynamicClientResult> {
  const parsed = dynamicMetadataSchema.safeParse(params.metadata);
  if (!parsed.success) return oauthFailure({ reason: "invalid_client_metadata", message: z.prettifyError(parsed.error) });
  const metadata = parsed.data;
  const scopes = parseScopes({ text: metadata.scope ?? "read" });
  if (!scopes.ok) return oauthFailure({ reason: "invalid_client_metadata", message: scopes.message });
  const authMethod = metadata.token_endpoint_auth_method ?? "client_secret_basic";
  const grantTypes: GrantType[] = metadata.grant_types ?? ["authorization_code", "refresh_token"];
  const registered = await registerClient(ac, {
    name: metadata.client_name ?? "Unnamed client",
    redirectUris: metadata.redirect_uris,
    scopes: scopes.scopes,
    grantTypes,
    confidential: authMethod !== "none",
    website: metadata.client_uri ?? null,
  });
  if (!registered.ok) return registered;
  const { client, clientSecret } = registered;
  const response: Record<string, unknown> = {
    client_id: client.clientId,
    client_id_issued_at: Math.floor(Date.parse(client.createdAt) / 1000),
    client_name: client.name,
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    response_types: ["code"],
    token_endpoint_auth_method: authMethod,
    scope: client.scopes.join(" "),
  };
  if (client.website !== null) response.client_uri = client.website;
  if (clientSecret !== null) {
    response.client_secret = clientSecret;
    response.client_secret_expires_at = 0;
  }
  return { ok: true, response };
}

/** `redirect_uris` of the Mastodon API: one string (space- or newline-separated) or a list. */
const mastodonAppSchema = z.object({
  client_name: z.string().min(1).max(200),
  redirect_uris: z.union([z.string().max(20_000), stringList]),
  scopes: z.string().max(2000).optional(),
  website: z.string().max(2000).optional().nullable(),
});

/** Parameters of {@link registerMastodonApp}. */
export interface RegisterMastodonAppParams {
  /** The form, JSON or multipart fields of the request. */
  readonly input: Readonly<Record<string, unknown>>;
}

/** The Mastodon Application entity with its credentials, or why not. */
export type RegisterMastodonAppResult = { readonly ok: true; readonly response: Record<string, unknown> } | OAuthFailure;

/**
 * Registers an app the way Mastodon does: a confidential client for the
 * authorization code, refresh and client credentials grants (and the
 * password grant, which the token endpoint offers only when enabled).
 */
export async function registerMastodonApp(ac: AccountContext, params: RegisterMastodonAppParams): Promise<RegisterMastodonAppResult> {
  const parsed = mastodonAppSchema.safeParse(params.input);
  if (!parsed.success) return oauthFailure({ reason: "invalid_request", message: z.prettifyError(parsed.error) });
  const input = parsed.data;
  const redirectUris = typeof input.redirect_uris === "string" ? input.redirect_uris.split(/\s+/) : input.redirect_uris;
  const scopes = parseScopes({ text: input.scopes ?? "read" });
  if (!scopes.ok) return oauthFailure({ reason: "invalid_scope", message: scopes.message });
  const registered = await registerClient(ac, {
    name: input.client_name,
    redirectUris,
    scopes: scopes.scopes,
    grantTypes: ["authorization_code", "refresh_token", "client_credentials", "password"],
    confidential: true,
    website: input.website ?? null,
  });
  if (!registered.ok) return registered;
  const { client, clientSecret } = registered;
  return {
    ok: true,
    response: {
      id: client.clientId,
      name: client.name,
      website: client.website,
      scopes: client.scopes,
      redirect_uri: client.redirectUris.join("\n"),
      redirect_uris: client.redirectUris,
      client_id: client.clientId,
      client_secret: clientSecret,
      client_secret_expires_at: 0,
    },
  };
}
