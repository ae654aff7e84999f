/**
 * `POST /api/proxy` (the actors' `proxyUrl` endpoint): a client sends the id
 * of a remote object as the form field `id` and gets the document, fetched
 * by this server with its signature.
 */
import type { Hono } from "hono";
import { PROXY_PATH } from "../../federation/c2s/endpoints.ts";
import { proxyObject } from "../../federation/c2s/proxy-object.ts";
import { authenticateRequest, userOf } from "../api/require-token.ts";
import type { AppEnv } from "../app-env.ts";
import { HttpError } from "../errors.ts";
import { ACTIVITY_JSON } from "../negotiation.ts";
import { readInput, stringFields } from "../oauth/request-input.ts";
import type { ClientApi } from "./client-api.ts";

/** Parameters of {@link registerProxyRoute}. */
export interface RegisterProxyRouteParams {
  readonly app: Hono<AppEnv>;
  readonly api: ClientApi;
}

/** Adds the proxy endpoint. */
export function registerProxyRoute(params: RegisterProxyRouteParams): void {
  const { app, api } = params;
  app.post(PROXY_PATH, async (c) => {
    // Only users' clients: the server's signature must not be lent to anyone who asks.
    userOf({ auth: await authenticateRequest({ api, c, scopes: ["read:statuses"] }) });
    const fields = stringFields({ input: await readInput({ c, accept: ["form", "json"] }) });
    const result = await proxyObject(api.ctx, { id: fields.id });
    if (!result.ok) throw new HttpError({ status: result.status, message: result.message });
    return c.body(JSON.stringify(result.document), 200, { "Content-Type": ACTIVITY_JSON, "Cache-Control": "private, no-store" });
  });
}
