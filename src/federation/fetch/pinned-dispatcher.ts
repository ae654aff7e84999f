/**
 * The connection layer of remote fetches. Checking a host's addresses before
 * a request is not enough on its own: the name could resolve to a public
 * address for the check and to a private one a moment later when the socket
 * connects (DNS rebinding). This dispatcher resolves again at connect time and
 * applies the same address policy to the very addresses it connects to.
 */
import type { LookupAddress, LookupOptions } from "node:dns";
import { Agent, type Dispatcher } from "undici";
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

let shared: Dispatcher | undefined;

/**
 * The process-wide dispatcher for remote requests: one pool of kept-alive
 * connections shared by fetches and deliveries, every connection checked.
 */
export function pinnedDispatcher(): Dispatcher {
  shared ??= new Agent({
    connect: { lookup: createGuardedLookup() },
    // Remote servers are many and mostly idle between deliveries; do not hold sockets long.
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connections: 16,
  });
  return shared;
}
