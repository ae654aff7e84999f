/**
 * Quote authorizations (FEP-044f) at their ids, so that any server can
 * verify a quote was approved: the stamp while the approval stands, 410 with
 * a Tombstone once it was revoked, 404 for anything never approved. A stamp
 * names only public objects by id, so it is served to anyone.
 */
import type { Hono } from "hono";
import type { FederationContext } from "../../federation/context.ts";
import { findQuoteAuthorizationDocument } from "../../federation/quotes/quote-authorization-document.ts";
import { QUOTE_AUTHORIZATIONS_SEGMENT } from "../../federation/quotes/quote-uris.ts";
import type { AppEnv } from "../app-env.ts";
import { HttpError } from "../errors.ts";
import { activityJsonResponse, chooseRepresentation } from "../negotiation.ts";

/** Parameters of {@link mountQuoteRoutes}. */
export interface MountQuoteRoutesParams {
  readonly ctx: FederationContext;
}

/** Adds `GET ${prefix}/users/:username/quote-authorizations/:id`. */
export function mountQuoteRoutes(app: Hono<AppEnv>, params: MountQuoteRoutesParams): void {
  const { ctx } = params;
  app.get(`${ctx.config.prefix}/users/:username/${QUOTE_AUTHORIZATIONS_SEGMENT}/:id`, async (c) => {
    const found = await findQuoteAuthorizationDocument(ctx, { username: c.req.param("username"), id: c.req.param("id") });
    if (found.kind === "missing") throw new HttpError({ status: 404, message: found.message });
    // Always JSON: a stamp has no page of its own, and browsers read JSON well enough.
    const representation = chooseRepresentation({ accept: c.req.header("accept") ?? null }) === "ld" ? "ld" : "activity";
    return activityJsonResponse({ c, document: found.document, representation, status: found.kind === "gone" ? 410 : 200 });
  });
}
