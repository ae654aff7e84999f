/**
 * The floor of the read workloads: a plain node:http server that answers
 * every request with the same 2 KB JSON body, about the size of an actor
 * document, and does nothing else. What the bench's load generator gets out
 * of it is the most any Node server could answer on this machine at that
 * moment. Run as a child of bench/run.ts; announces its port when listening.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { emitEvent, serveIpc } from "../ipc.ts";

/** The answer: a JSON document of 2,048 bytes. */
const BODY = Buffer.from(JSON.stringify({ id: "http://127.0.0.1/users/bench", padding: "x".repeat(2048 - 50) }));

const server = createServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/activity+json", "content-length": BODY.byteLength });
  response.end(BODY);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  emitEvent({ event: "ready", payload: { port: (server.address() as AddressInfo).port } });
});
serveIpc<Record<string, never>>({ handlers: {} });
