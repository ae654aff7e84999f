/**
 * Outpost in an Express app: `app.use(expressMiddleware(outpost))`. Mount it
 * before body parsers: Outpost verifies inbox signatures over the exact body
 * bytes. (express.json() and express.urlencoded() leave ActivityPub bodies
 * alone anyway, since their media types are not application/json; a parser
 * that takes every type must keep the bytes as `req.rawBody`, or Outpost's
 * requests fail with a BodyConsumedError.) Other requests go on to the app.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyConsumedError, toWebRequest, writeWebResponse, type AdapterOutpost } from "./node-bridge.ts";

export { BodyConsumedError };

/** What the middleware needs of Express's request (it works with any node:http framework that has `next`). */
export type ExpressLikeRequest = IncomingMessage & { readonly originalUrl?: string; readonly rawBody?: unknown };

/** An Express middleware. */
export type ExpressMiddleware = (req: ExpressLikeRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Answers Outpost's requests and calls `next()` for the others. */
export function expressMiddleware(outpost: AdapterOutpost): ExpressMiddleware {
  return (req, res, next) => {
    void (async () => {
      try {
        const bridged = toWebRequest({
          req,
          origin: outpost.ctx.config.origin,
          ...(req.originalUrl === undefined ? {} : { path: req.originalUrl }),
          rawBody: req.rawBody,
        });
        const response = await outpost.fetch(bridged.request, { remoteAddress: req.socket.remoteAddress });
        if (bridged.bodyLost && bridged.bodyWanted()) {
          await response?.body?.cancel();
          return next(new BodyConsumedError());
        }
        if (response === undefined) return next();
        await writeWebResponse({ res, response, method: req.method });
      } catch (error) {
        if (res.headersSent) res.end();
        else next(error);
      }
    })();
  };
}
