/**
 * A network that only reaches loopback. End-to-end tests run real servers
 * on 127.0.0.1 and talk to them over real sockets; anything else (a stray
 * JSON-LD context, a mistyped host) must fail loudly instead of leaving the
 * machine.
 */
import { isIP } from "node:net";

/** Whether a URL's host is a loopback address or name. */
function isLoopbackUrl(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    return false;
  }
  if (hostname === "localhost") return true;
  if (isIP(hostname) === 4) return hostname.startsWith("127.");
  return hostname === "::1";
}

/** Parameters of {@link loopbackOnlyFetch}. */
export interface LoopbackOnlyFetchParams {
  /** The fetch used for loopback URLs; default `globalThis.fetch` at the time of the call. */
  readonly fetch?: typeof globalThis.fetch;
}

/** A fetch that refuses every URL not on loopback. */
export function loopbackOnlyFetch(params: LoopbackOnlyFetchParams = {}): typeof globalThis.fetch {
  const inner = params.fetch ?? globalThis.fetch;
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!isLoopbackUrl(url)) throw new Error(`a test tried to reach beyond loopback: ${url}`);
    return inner(input, init);
  };
}

/**
 * Replaces `globalThis.fetch` with a loopback-only one, for libraries that
 * fetch through the global (Fedify's document loader). Returns the function
 * that puts the original back.
 */
export function guardGlobalFetch(): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = loopbackOnlyFetch({ fetch: original });
  return () => {
    globalThis.fetch = original;
  };
}
