/**
 * Serving Outpost over HTTP with Node's http module, for the standalone
 * server and tests that need a real socket.
 */
import type { AddressInfo } from "node:net";
import { serve, type HttpBindings } from "@hono/node-server";

/** What the server hands each request to (an Outpost). */
export interface RequestHandler {
  handle(request: Request, info?: { readonly remoteAddress?: string }): Promise<Response>;
}

/** Parameters of {@link serveOutpost}. */
export interface ServeOutpostParams {
  readonly outpost: RequestHandler;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Interface to listen on; default "127.0.0.1". Use "0.0.0.0" or "::" to listen on all. */
  readonly hostname?: string;
}

/** A listening server. */
export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Stops accepting connections and resolves once open ones are closed. */
  close(): Promise<void>;
}

/** Starts listening; resolves once the port is bound, rejects if it cannot be. */
export function serveOutpost(params: ServeOutpostParams): Promise<RunningServer> {
  const { outpost } = params;
  const hostname = params.hostname ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: (request, env) => {
          const remoteAddress = (env as HttpBindings | undefined)?.incoming?.socket?.remoteAddress;
          return outpost.handle(request, { remoteAddress });
        },
        port: params.port ?? 0,
        hostname,
      },
      (info: AddressInfo) => {
        server.off("error", reject);
        const host = info.family === "IPv6" || info.address.includes(":") ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((error) => (error === undefined ? done() : fail(error)));
              // Keep-alive connections would otherwise hold close() open until they time out.
              if ("closeIdleConnections" in server) server.closeIdleConnections();
            }),
        });
      },
    );
    server.once("error", reject);
  });
}
