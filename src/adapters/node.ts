/**
 * Outpost in a plain node:http server: `http.createServer(nodeHandler(outpost, site))`.
 * Requests that are not Outpost's go to the fallback (the site), with their
 * body unread.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { toWebRequest, writeWebResponse, type AdapterOutpost } from "./node-bridge.ts";

/** A node:http request listener. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Answers Outpost's requests and hands the others to `fallback` (404 without one). */
export function nodeHandler(outpost: AdapterOutpost, fallback?: NodeRequestListener): NodeRequestListener {
  return (req, res) => {
    void (async () => {
      try {
        const bridged = toWebRequest({ req, origin: outpost.ctx.config.origin });
        const response = await outpost.fetch(bridged.request, { remoteAddress: req.socket.remoteAddress });
        if (response !== undefined) return await writeWebResponse({ res, response, method: req.method });
        if (fallback !== undefined) return fallback(req, res);
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not Found");
      } catch (error) {
        outpost.ctx.logger.error({ err: error, url: req.url }, "outpost could not answer a request");
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end();
      }
    })();
  };
}
