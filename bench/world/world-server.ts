/**
 * The remote world, run as a child of bench/run.ts: thousands of small
 * Mastodon-like servers, each on its own loopback address, all served by
 * this one process. Arguments: a JSON {@link WorldServerOptions}.
 */
import { createServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { Server } from "node:net";
import { serveIpc, emitEvent } from "../ipc.ts";
import { createArrivals } from "./arrivals.ts";
import { createFollowAnswers } from "./follow-answers.ts";
import { loadKeyPool } from "./key-pool.ts";
import { keyIndexOf, originAddress, parseActorName, worldOriginCount } from "./layout.ts";
import type { WorldLayout } from "./layout.ts";
import { createTargetKeyResolver } from "./target-keys.ts";
import { createWorldHandler } from "./world-handler.ts";
import type { WorldCommands, WorldReady } from "./world-protocol.ts";

/** What the orchestrator passes on the command line. */
export interface WorldServerOptions {
  readonly layout: Omit<WorldLayout, "port">;
  readonly poolSize: number;
}

const options = JSON.parse(process.argv[2] ?? "{}") as WorldServerOptions;
const pool = await loadKeyPool({ size: options.poolSize });
const keyOf = (name: string) => pool.keys[keyIndexOf({ name, poolSize: pool.keys.length })]!;

let targetOrigin: string | null = null;
const keys = createTargetKeyResolver({ targetOrigin: () => targetOrigin });
const arrivals = createArrivals();
const answers = createFollowAnswers({
  targetOrigin: () => targetOrigin,
  privateKeyOf: (actorUrl) => {
    const name = new URL(actorUrl).pathname.split("/")[2] ?? "";
    return parseActorName({ name }).ok ? keyOf(name).privateKeyPem : null;
  },
});

/**
 * How long an idle connection stays open. The origins stand for servers as
 * they are deployed: Mastodon's own nginx configuration (dist/nginx.conf)
 * keeps connections for 70 s without announcing it, and Fastify, Misskey's
 * server, keeps them 72 s by default. A sender then keeps its idle
 * connections for as long as it chooses itself.
 */
const KEEP_ALIVE_MS = 70_000;

const origins = worldOriginCount({ layout: { ...options.layout, port: 0 } });
const addresses = Array.from({ length: origins }, (_, index) => originAddress({ index }));
// Connections are only made once the orchestrator has heard the port, after the handler exists.
let handler: ReturnType<typeof createWorldHandler> | null = null;
const http = createServer({ keepAliveTimeout: KEEP_ALIVE_MS, requestTimeout: 30_000 }, (request, response) => {
  // Set by hand, the header keeps Node from announcing `Keep-Alive: timeout=…`, which nginx does not send either.
  response.setHeader("Connection", "keep-alive");
  if (handler === null) response.writeHead(503).end();
  else handler.handle(request, response);
});
const { port, listeners } = await listenEverywhere(addresses);
const world = createWorldHandler({ port, publicKeyOf: (name) => keyOf(name).publicKeyPem, keys, arrivals, answers });
handler = world;

serveIpc<WorldCommands>({
  handlers: {
    async configure({ targetOrigin: origin }) {
      targetOrigin = new URL(origin).origin;
      keys.clear();
      answers.clear();
      arrivals.reset();
      return { ok: true };
    },
    awaitCreate: (params) => arrivals.awaitCreate(params),
    awaitAccepts: (params) => arrivals.awaitAccepts(params),
    async stats() {
      const counts = world.counts();
      const answered = answers.counts();
      return {
        ...counts,
        followsAnswered: answered.answered,
        acceptFailures: answered.failures,
        lastAcceptError: answered.lastError,
      };
    },
  },
});
const ready: WorldReady = { port, origins: listeners.length };
emitEvent({ event: "ready", payload: ready });

/**
 * Listens on one port at every address; one HTTP server takes the
 * connections of all. The port is picked by the system for the first address
 * and reused for the others; if one of them has it taken, another is tried.
 */
async function listenEverywhere(all: readonly string[]): Promise<{ port: number; listeners: Server[] }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const listeners: Server[] = [];
    const forward = (socket: import("node:net").Socket) => http.emit("connection", socket);
    try {
      const first = await listen(createTcpServer(forward), 0, all[0]!);
      listeners.push(first);
      const chosen = (first.address() as import("node:net").AddressInfo).port;
      for (const address of all.slice(1)) listeners.push(await listen(createTcpServer(forward), chosen, address));
      return { port: chosen, listeners };
    } catch (error) {
      await Promise.all(listeners.map((server) => new Promise((resolve) => server.close(resolve))));
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    }
  }
  throw new Error("no port was free on every world address");
}

function listen(server: Server, port: number, address: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host: address, backlog: 511 }, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
