/**
 * The redirect URI of a native application (RFC 8252 §7.3): a small HTTP
 * server on the loopback interface that the browser is sent back to after
 * the consent page, where the application picks the code up. The tests send
 * the "browser" there for real, so the code arrives exactly as it would.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A running receiver. */
export interface RedirectReceiver {
  /** `http://127.0.0.1:<port>/callback`, to register as the redirect URI. */
  readonly redirectUri: string;
  /** The full URL of every request that arrived, oldest first. */
  readonly received: readonly URL[];
  close(): Promise<void>;
}

/** Most requests kept; a test makes a handful. */
const MAX_RECEIVED = 100;

/** Starts a receiver on a free loopback port. */
export async function startRedirectReceiver(): Promise<RedirectReceiver> {
  const received: URL[] = [];
  let redirectUri = "";
  const server: Server = createServer((request, response) => {
    if (received.length >= MAX_RECEIVED) received.shift();
    received.push(new URL(request.url ?? "/", redirectUri));
    response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    response.end("You may close this window.");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  redirectUri = `http://127.0.0.1:${port}/callback`;
  return {
    redirectUri,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
