/**
 * The token, revocation and introspection endpoints. Answers follow RFC 6749
 * §5: JSON, never cached, errors as `{ error, error_description }`, 401 with
 * a challenge when client authentication failed, 429 with Retry-After once
 * the caller's attempts run out.
 */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { authenticateClient, isConfidential } from "../../federation/oauth/clients.ts";
import { introspectToken, type IntrospectionCaller } from "../../federation/oauth/introspection.ts";
import { OAUTH_PATHS } from "../../federation/oauth/metadata.ts";
import { oauthFailure, type OAuthFailure } from "../../federation/oauth/oauth-failure.ts";
import { revokeClientToken } from "../../federation/oauth/revocation.ts";
import { exchangeToken } from "../../federation/oauth/token-endpoint.ts";
import { authenticateRequest, userOf } from "../api/require-token.ts";
import type { AppEnv } from "../app-env.ts";
import type { ClientApi } from "../c2s/client-api.ts";
import { clientAddress } from "../client-address.ts";
import { HttpError } from "../errors.ts";
import { clientCredentialsOf } from "./client-credentials.ts";
import { readInput, stringFields } from "./request-input.ts";

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

/** Parameters of {@link oauthJson}. */
export interface OAuthJsonParams {
  readonly c: Context<AppEnv>;
  readonly body: unknown;
  readonly status?: ContentfulStatusCode;
}

/** A JSON answer that no cache keeps. */
export function oauthJson(params: OAuthJsonParams): Response {
  return params.c.body(JSON.stringify(params.body), params.status ?? 200, { "Content-Type": "application/json; charset=utf-8", ...NO_STORE });
}

/** Parameters of {@link oauthError}. */
export interface OAuthErrorParams {
  readonly c: Context<AppEnv>;
  readonly failure: OAuthFailure;
}

/** The error answer of an OAuth endpoint. */
export function oauthError(params: OAuthErrorParams): Response {
  const { c, failure } = params;
  // Clients authenticate with HTTP Basic (or the body), so a failed authentication challenges with Basic.
  if (failure.status === 401) c.header("WWW-Authenticate", 'Basic realm="outpost"');
  if (failure.retryAfterMs !== undefined) c.header("Retry-After", String(Math.max(1, Math.ceil(failure.retryAfterMs / 1000))));
  return oauthJson({ c, body: { error: failure.reason, error_description: failure.message }, status: failure.status });
}

/** Parameters of {@link registerTokenRoutes}. */
export interface RegisterTokenRoutesParams {
  readonly app: Hono<AppEnv>;
  readonly api: ClientApi;
}

/** Adds `/oauth/token`, `/oauth/revoke` and `/oauth/introspect`. */
export function registerTokenRoutes(params: RegisterTokenRoutesParams): void {
  const { app, api } = params;
  const { ac } = api;
  const address = (c: Context<AppEnv>) => clientAddress({ c, trustProxy: api.trustProxy });

  const readClientRequest = async (c: Context<AppEnv>) => {
    const fields = stringFields({ input: await readInput({ c, accept: ["form", "json"] }) });
    const credentials = clientCredentialsOf({ c, fields });
    if (!credentials.ok) throw new HttpError({ status: 400, message: credentials.message });
    return { fields, credentials: credentials.credentials };
  };

  app.post(OAUTH_PATHS.token, async (c) => {
    const { fields, credentials } = await readClientRequest(c);
    const result = await exchangeToken(ac, { params: fields, credentials, address: address(c) });
    if (!result.ok) return oauthError({ c, failure: result });
    return oauthJson({ c, body: result.response });
  });

  app.post(OAUTH_PATHS.revoke, async (c) => {
    const { fields, credentials } = await readClientRequest(c);
    const result = await revokeClientToken(ac, { credentials, token: fields.token, address: address(c) });
    if (!result.ok) return oauthError({ c, failure: result });
    return oauthJson({ c, body: {} });
  });

  app.post(OAUTH_PATHS.introspect, async (c) => {
    let caller: IntrospectionCaller;
    let fields: Record<string, string | undefined>;
    if (/^Bearer\s/i.test(c.req.header("authorization") ?? "")) {
      const auth = await authenticateRequest({ api, c, scopes: ["admin:read"] });
      const user = userOf({ auth });
      if (!user.admin) throw new HttpError({ status: 403, message: "only an admin may introspect tokens" });
      caller = { kind: "admin", user };
      fields = stringFields({ input: await readInput({ c, accept: ["form", "json"] }) });
    } else {
      const read = await readClientRequest(c);
      fields = read.fields;
      const client = await authenticateClient(ac, { credentials: read.credentials });
      if (!client.ok || !isConfidential({ client: client.client })) {
        ac.limiter.fail({ address: address(c), now: ac.now().getTime() });
        return oauthError({ c, failure: client.ok ? oauthFailure({ reason: "invalid_client", message: "only confidential clients may introspect" }) : client });
      }
      caller = { kind: "client", client: client.client };
    }
    if (fields.token === undefined || fields.token === "") {
      return oauthError({ c, failure: oauthFailure({ reason: "invalid_request", message: "token is required" }) });
    }
    return oauthJson({ c, body: await introspectToken(ac, { caller, token: fields.token, hint: fields.token_type_hint }) });
  });
}
