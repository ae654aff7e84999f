/**
 * Outpost in a Hono app: `app.use(honoMiddleware(outpost))`. Requests that
 * are not Outpost's go on to the app's own routes.
 */
import type { MiddlewareHandler } from "hono";
import type { AdapterOutpost } from "./node-bridge.ts";

/** Answers Outpost's requests and calls `next()` for the others. */
export function honoMiddleware(outpost: Pick<AdapterOutpost, "fetch">): MiddlewareHandler {
  return async (c, next) => {
    // On @hono/node-server the peer's address is on the node request.
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    const remoteAddress = env?.incoming?.socket?.remoteAddress;
    const response = await outpost.fetch(c.req.raw, remoteAddress === undefined ? undefined : { remoteAddress });
    if (response !== undefined) return response;
    await next();
  };
}
