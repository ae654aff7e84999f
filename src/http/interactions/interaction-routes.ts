/**
 * The interactions of a local object over HTTP, for sites that fetch them
 * rather than render them on the server: `GET ${prefix}/interactions?target=<object id>`
 * answers the sanitized HTML block (safe to insert into a page as is), or
 * with `Accept: application/json` its view model. Both are public data and
 * readable from any origin.
 */
import type { Hono } from "hono";
import type { FederationContext } from "../../federation/context.ts";
import { loadInteractionsView, renderInteractions } from "../../federation/interactions/render.ts";
import type { AppEnv } from "../app-env.ts";
import { HttpError } from "../errors.ts";
import { parseAccept } from "../negotiation.ts";

/** Parameters of {@link mountInteractionRoutes}. */
export interface MountInteractionRoutesParams {
  readonly ctx: FederationContext;
  /** Where the route lives; default `${prefix}/interactions`. */
  readonly path?: string;
}

/** The block's headers: no scripts may run even if it is opened on its own; styles and avatars may load. */
const FRAGMENT_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src https: http:; base-uri 'none'; form-action 'none'",
  "X-Content-Type-Options": "nosniff",
  "Access-Control-Allow-Origin": "*",
  "Cache-Control": "public, max-age=60",
  Vary: "Accept",
} as const;

/** Adds the interactions route. */
export function mountInteractionRoutes(app: Hono<AppEnv>, params: MountInteractionRoutesParams): void {
  const { ctx } = params;
  app.get(params.path ?? `${ctx.config.prefix}/interactions`, async (c) => {
    const target = c.req.query("target");
    const parsed = target === undefined ? undefined : ctx.uris.parse(target);
    // Only ids of local objects: the route must not become a lookup of anything else stored.
    if (target === undefined || parsed?.kind !== "object") throw new HttpError({ status: 404, message: "no such local object" });
    const limit = Number(c.req.query("limit") ?? "");
    const options = { targetUrl: target, ...(Number.isFinite(limit) && limit > 0 ? { limit } : {}) };
    if (wantsJson(c.req.header("accept") ?? null)) {
      const view = await loadInteractionsView(ctx, options);
      return c.json(view, 200, { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=60", Vary: "Accept" });
    }
    c.set("format", "html");
    return c.body(await renderInteractions(ctx, options), 200, FRAGMENT_HEADERS);
  });
}

function wantsJson(accept: string | null): boolean {
  if (accept === null) return false;
  const ranges = parseAccept({ accept });
  const quality = (type: string, subtype: string) =>
    Math.max(0, ...ranges.filter((range) => range.type === type && range.subtype === subtype).map((range) => range.q));
  return quality("application", "json") > quality("text", "html");
}
