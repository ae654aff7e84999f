/**
 * Outpost in a Next.js app-router route:
 * `export const { GET, POST, HEAD } = nextRouteHandlers(getOutpost)` in a
 * catch-all route such as `app/activitypub/[...path]/route.ts`, and in
 * `app/.well-known/[...path]/route.ts` and `app/nodeinfo/[...path]/route.ts`
 * for discovery. Route handlers receive the untouched request, body included.
 */
import type { AdapterOutpost } from "./node-bridge.ts";

/** A route handler as Next.js calls it. */
export type NextRouteHandler = (request: Request) => Promise<Response>;

/** The handlers of a catch-all route. */
export interface NextRouteHandlers {
  readonly GET: NextRouteHandler;
  readonly HEAD: NextRouteHandler;
  readonly POST: NextRouteHandler;
}

/** An Outpost, the promise of one, or a function giving either (called on the first request). */
export type OutpostSource =
  | Pick<AdapterOutpost, "fetch">
  | PromiseLike<Pick<AdapterOutpost, "fetch">>
  | (() => Pick<AdapterOutpost, "fetch"> | PromiseLike<Pick<AdapterOutpost, "fetch">>);

/**
 * Route handlers answering Outpost's requests, and 404 for anything else
 * under the route. Route modules export their handlers synchronously, so
 * this takes a function that gives the Outpost: it is first called on the
 * first request, not while `next build` loads the module.
 */
export function nextRouteHandlers(source: OutpostSource): NextRouteHandlers {
  const outpost = () => (typeof source === "function" ? source() : source);
  const handle: NextRouteHandler = async (request) => {
    const response = await (await outpost()).fetch(request);
    return response ?? new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  };
  return { GET: handle, HEAD: handle, POST: handle };
}
