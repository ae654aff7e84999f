/**
 * The Hono environment shared by every route: what the server adapter binds
 * and what middleware leaves for the handlers.
 */
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";

/** How a response is rendered, decided by the route or by content negotiation. */
export type ResponseFormat = "json" | "html";

/** Bindings and per-request variables of the HTTP app. */
export interface AppEnv {
  Bindings: {
    /** The peer address, when the caller knows it (see `serveOutpost`). */
    remoteAddress?: string;
    /** Set by @hono/node-server when the app is its fetch callback directly. */
    incoming?: IncomingMessage;
  };
  Variables: {
    /** How errors of this request are rendered; JSON unless a route chose HTML. */
    format: ResponseFormat;
    /** A short id tying a request's log lines together. */
    requestId: string;
    /** The URL ended in the `.json` alias suffix, which the router stripped. */
    jsonAlias: boolean;
    /** The context's logger, bound to this request's id. */
    logger: Logger;
  };
}
