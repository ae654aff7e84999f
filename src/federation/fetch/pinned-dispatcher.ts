/**
 * The connection layer of remote fetches. Checking a host's addresses before
 * a request is not enough on its own: the name could resolve to a public
 * address for the check and to a private one a moment later when the socket
 * connects (DNS rebinding). This dispatcher resolves again at connect time and
 * applies the same address policy to the very addresses it connects to.
 */
import type { LookupAddress, LookupOptions } from "node:dns";
import type { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import type { Dispatcher } from "undici";
import { checkHost, type HostResolver } from "./address-policy.ts";

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for `net.connect` that refuses private and reserved addresses. */
export type GuardedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/** Parameters of {@link createGuardedLookup}. */
export interface GuardedLookupParameters {
  readonly resolver?: HostResolver;
}

/** Builds a socket `lookup` function that resolves a host and fails if any address is blocked. */
export function createGuardedLookup(params: GuardedLookupParameters = {}): GuardedLookup {
  return (hostname, options, callback) => {
    checkHost({ hostname, resolver: params.resolver }).then(
      (result) => {
        if (!result.ok) {
          const error: NodeJS.ErrnoException = new Error(result.message);
          error.code = result.reason === "blockedAddress" ? "EBLOCKEDADDRESS" : "ENOTFOUND";
          callback(error, "");
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = wanted === undefined ? result.addresses : result.addresses.filter((a) => a.family === wanted);
        if (usable.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} has no IPv${wanted} address`);
          error.code = "ENOTFOUND";
          callback(error, "");
          return;
        }
        if (options.all === true) {
          callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
        } else {
          const first = usable[0]!;
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ""),
    );
  };
}

/**
 * Connection settings for talking to many servers at once: a post to ten
 * thousand followers reaches thousands of origins, each once or a few times.
 */
const AGENT_OPTIONS = {
  // Keep-alive pays off for bursts to one server (several inboxes there, fetches while verifying).
  // Idle sockets are dropped soon: a large fan-out would otherwise hold one open per origin.
  keepAliveTimeout: 4_000,
  keepAliveMaxTimeout: 30_000,
  // Undici subtracts this margin from a server's announced keep-alive time. Its default (2 s)
  // swallows the short times many servers announce (Node's 5 s, 2 s), and every connection to
  // them was then torn down after one request, an error object and a stack trace each time.
  keepAliveTimeoutThreshold: 1_000,
  // Enough parallel requests for one busy server without letting it hold every socket.
  connections: 16,
  // One request at a time per connection: a slow inbox must not hold up the deliveries queued behind it.
  pipelining: 1,
  connectTimeout: 10_000,
} as const;

let pinned: Promise<Dispatcher> | undefined;
let unpinned: Promise<Dispatcher> | undefined;

/**
 * undici is loaded with the first remote request: a server starts without it.
 *
 * The agent keeps one dispatcher per origin and closes it once its
 * connections are gone; a fan-out to ten thousand origins makes and closes
 * ten thousand, most of them for a single request. Two things make that
 * cheaper than undici's own pool per origin:
 *
 * - An origin starts with one connection and grows into a pool only when a
 *   request comes while that connection is taken (see
 *   {@link createOriginDispatcherClass}). undici's pool allocates a request
 *   queue of 2,048 slots when it is made, and relays every event of its
 *   connections; an origin that sees one request at a time needs neither.
 * - undici destroys a closing pool or client with a new error object, stack
 *   trace and all, that nobody ever sees: they are closed only once they have
 *   no requests left to fail with it, and Node's stream code then formats the
 *   stack of the error the client's socket is destroyed with. Pools and
 *   clients made here are given one error made up front instead (its stack
 *   formatted once), which took about 2.5% of the main thread's time in such
 *   a fan-out for the pools and as much again for the clients. One destroyed
 *   with requests still in it (the agent's own destroy, at shutdown) fails
 *   them with that error too: it says the same.
 */
async function createAgent(options: ConstructorParameters<typeof import("undici").Agent>[0]): Promise<Dispatcher> {
  const undici = await loadUndici();
  const { Agent, Client, Pool, errors } = undici;
  const destroyed = new errors.ClientDestroyedError();
  /** The dispatcher class, destroyed with the premade error where undici would make a new one (a mixin's base takes `any[]`). */
  const withPremadeError = <B extends new (...args: any[]) => Dispatcher>(Base: B) =>
    class extends Base {
      override destroy(err: Error | null, callback: () => void): void;
      override destroy(callback: () => void): void;
      override destroy(err: Error | null): Promise<void>;
      override destroy(): Promise<void>;
      override destroy(errorOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
        if (typeof errorOrCallback === "function") return super.destroy(destroyed, errorOrCallback);
        if (callback !== undefined) return super.destroy(errorOrCallback ?? destroyed, callback);
        return super.destroy(errorOrCallback ?? destroyed);
      }
    };
  const ClosingClient = withPremadeError(Client);
  type ClientOptions = ConstructorParameters<typeof Client>[1];
  type PoolOptions = ConstructorParameters<typeof Pool>[1];
  class ClosingPool extends withPremadeError(Pool) {
    constructor(origin: string | URL, poolOptions: PoolOptions) {
      super(origin, { ...poolOptions, factory: (clientOrigin: string | URL, clientOptions: object) => new ClosingClient(clientOrigin, clientOptions as ClientOptions) });
    }
  }
  const OriginDispatcher = createOriginDispatcherClass({
    Dispatcher: undici.Dispatcher,
    client: (origin, clientOptions) => new ClosingClient(origin, clientOptions as ClientOptions),
    pool: (origin, poolOptions) => new ClosingPool(origin, poolOptions as PoolOptions),
  });
  return new Agent({ ...options, factory: (origin, originOptions) => new OriginDispatcher(origin, originOptions ?? {}) });
}

/** The parts of undici the agent is made of. */
type UndiciParts = Pick<typeof import("undici"), "Agent" | "Client" | "Pool" | "Dispatcher" | "errors">;

/**
 * Loads only the parts of undici the agent uses. Its index also loads fetch,
 * WebSocket, the cache, the mocks, the proxies and more, all of which the
 * first outbound request of a process paid for: with the parts alone that
 * request took 35–40 ms instead of 89–153 on a 2-core EPYC, and the process
 * grew by about 3 MB instead of 9. If an undici release keeps the parts
 * elsewhere, the whole package is loaded.
 */
async function loadUndici(): Promise<UndiciParts> {
  try {
    const require = createRequire(import.meta.url);
    const Dispatcher = require("undici/lib/dispatcher/dispatcher.js") as UndiciParts["Dispatcher"];
    // What undici's index does: the request API (request, stream, pipeline…) on every dispatcher.
    Object.assign(Dispatcher.prototype, require("undici/lib/api/index.js"));
    return {
      Dispatcher,
      Agent: require("undici/lib/dispatcher/agent.js") as UndiciParts["Agent"],
      Client: require("undici/lib/dispatcher/client.js") as UndiciParts["Client"],
      Pool: require("undici/lib/dispatcher/pool.js") as UndiciParts["Pool"],
      errors: require("undici/lib/core/errors.js") as UndiciParts["errors"],
    };
  } catch {
    return import("undici");
  }
}

/** A client or pool, as undici's dispatchers are beyond the `Dispatcher` type. */
type ClosableDispatcher = Dispatcher & { readonly closed: boolean; readonly destroyed: boolean };

/** Parameters of {@link createOriginDispatcherClass}: undici's classes, loaded with it. */
interface OriginDispatcherClassParameters {
  readonly Dispatcher: typeof import("undici").Dispatcher;
  /** One connection; `stats.size` counts its requests running or waiting. */
  readonly client: (origin: string | URL, options: object) => ClosableDispatcher & { readonly stats: { readonly size: number } };
  readonly pool: (origin: string | URL, options: object & { connections?: number | null }) => ClosableDispatcher;
}

/** Events the agent listens to on each origin's dispatcher, relayed with the relaying dispatcher first in the list of targets. */
const RELAYED_EVENTS = ["connect", "disconnect", "connectionError", "drain"] as const;

/**
 * The class of an origin's dispatcher: one connection (a client) while
 * requests come one at a time; once a request comes while the client has one
 * running or waiting, a pool of the remaining connections beside it, which
 * takes every request the client is not free for. So a busy server still
 * gets up to `connections` requests at once, and the many origins of a
 * fan-out that get one request each cost one client each.
 */
function createOriginDispatcherClass(params: OriginDispatcherClassParameters) {
  return class OriginDispatcher extends params.Dispatcher {
    readonly #origin: string | URL;
    readonly #options: object & { connections?: number | null };
    readonly #client: ReturnType<OriginDispatcherClassParameters["client"]>;
    #pool: ClosableDispatcher | undefined;

    constructor(origin: string | URL, options: object & { connections?: number | null }) {
      super();
      this.#origin = origin;
      this.#options = options;
      this.#client = params.client(origin, options);
      this.#relay(this.#client);
    }

    get closed(): boolean {
      return this.#client.closed && (this.#pool?.closed ?? true);
    }

    get destroyed(): boolean {
      return this.#client.destroyed && (this.#pool?.destroyed ?? true);
    }

    override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      const client = this.#client;
      // A closed or destroyed client answers the request with its error, as a pool would.
      if (client.stats.size === 0 || client.closed || client.destroyed) return client.dispatch(options, handler);
      if (this.#pool === undefined) {
        const connections = this.#options.connections ?? null;
        // The client stays one of the origin's connections: the pool gets the rest.
        this.#pool = params.pool(this.#origin, { ...this.#options, connections: connections === null ? null : Math.max(1, connections - 1) });
        this.#relay(this.#pool);
      }
      return this.#pool.dispatch(options, handler);
    }

    override close(): Promise<void>;
    override close(callback: () => void): void;
    override close(callback?: () => void): Promise<void> | void {
      const closing = Promise.all([this.#client.close(), this.#pool?.close()]).then(() => undefined);
      if (callback === undefined) return closing;
      void closing.then(callback, callback);
    }

    override destroy(err: Error | null, callback: () => void): void;
    override destroy(callback: () => void): void;
    override destroy(err: Error | null): Promise<void>;
    override destroy(): Promise<void>;
    override destroy(errorOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
      const error = typeof errorOrCallback === "function" ? null : (errorOrCallback ?? null);
      const done = typeof errorOrCallback === "function" ? errorOrCallback : callback;
      const destroying = Promise.all([this.#client.destroy(error), this.#pool?.destroy(error)]).then(() => undefined);
      if (done === undefined) return destroying;
      void destroying.then(done, done);
    }

    #relay(source: Dispatcher): void {
      const relaying = this as unknown as EventEmitter;
      for (const event of RELAYED_EVENTS) {
        (source as unknown as EventEmitter).on(event, (origin: URL, targets: readonly Dispatcher[], error?: Error) => {
          relaying.emit(event, origin, [this, ...targets], error);
        });
      }
    }
  };
}

/**
 * The process-wide dispatcher for remote requests: one pool of kept-alive
 * connections shared by fetches and deliveries, every connection checked.
 */
export function pinnedDispatcher(): Promise<Dispatcher> {
  pinned ??= createAgent({ ...AGENT_OPTIONS, connect: { lookup: createGuardedLookup() } });
  return pinned;
}

/** Parameters of {@link remoteDispatcher}. */
export interface RemoteDispatcherParameters {
  readonly allowPrivateAddresses: boolean;
}

/**
 * The dispatcher remote requests go through: {@link pinnedDispatcher}, or,
 * where private addresses are allowed, one with the same connection settings
 * and no address checks.
 */
export function remoteDispatcher(params: RemoteDispatcherParameters): Promise<Dispatcher> {
  if (!params.allowPrivateAddresses) return pinnedDispatcher();
  unpinned ??= createAgent(AGENT_OPTIONS);
  return unpinned;
}
