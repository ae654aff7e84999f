/**
 * The one way federation code reaches other servers. Every request is limited
 * in time and size, may only use http(s), and (unless private addresses are
 * allowed) may only reach public addresses, checked before each hop and
 * again when the socket connects. Redirects are followed by hand so that
 * every hop passes the same checks.
 */
import type { FederationContext } from "../context.ts";
import { checkHost } from "./address-policy.ts";
import { remoteDispatcher } from "./pinned-dispatcher.ts";
import { platformFetch, sendOnDispatcher, type PlatformRequest, type PlatformResponse } from "./platform-transport.ts";

/** One request as it is about to be sent, for {@link SafeFetchInit.sign}. */
export interface SafeFetchHop {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body?: Uint8Array | string;
}

/** Options of {@link safeFetch}; limits default to the context's configuration. */
export interface SafeFetchInit {
  method?: string;
  headers?: Headers;
  body?: Uint8Array | string;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /**
   * Cut a body over `maxBytes` short instead of failing, for callers that
   * only need the status (deliveries): the body is read up to the limit and
   * the rest is dropped.
   */
  truncateBody?: boolean;
  /**
   * Signs each hop. A request signature covers the target URL, so it must be
   * made again for every redirect hop rather than once up front.
   */
  sign?: (hop: SafeFetchHop) => Headers | Promise<Headers>;
}

/** Why a request failed before an HTTP status was obtained. */
export type SafeFetchFailureReason =
  | "invalidUrl"
  | "blockedAddress"
  | "dnsFailure"
  | "timeout"
  | "tooLarge"
  | "tooManyRedirects"
  | "network";

/** A response (any HTTP status) with its whole body, or why there is none. */
export type SafeFetchResult =
  | { ok: true; status: number; headers: Headers; body: Uint8Array; url: string }
  | { ok: false; reason: SafeFetchFailureReason; message: string };

type Failure = Extract<SafeFetchResult, { ok: false }>;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Headers that must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "signature", "signature-input"] as const;

/** Fetches a remote URL within the configured limits and address policy. */
export async function safeFetch(ctx: FederationContext, url: string, init: SafeFetchInit = {}): Promise<SafeFetchResult> {
  const timeoutMs = init.timeoutMs ?? ctx.config.fetchTimeoutMs;
  const maxBytes = init.maxBytes ?? ctx.config.fetchMaxBytes;
  const maxRedirects = init.maxRedirects ?? ctx.config.fetchMaxRedirects;
  const signal = AbortSignal.timeout(timeoutMs);

  let current = parseHttpUrl(url);
  if (!current.ok) return current.failure;
  let method = (init.method ?? "GET").toUpperCase();
  let body = init.body;
  let baseHeaders = new Headers(init.headers);
  if (!baseHeaders.has("user-agent")) baseHeaders.set("user-agent", ctx.config.userAgent);

  for (let hop = 0; ; hop++) {
    const target = current.url;
    if (!ctx.config.allowPrivateAddresses) {
      // The system resolver has no timeout of its own; the request's deadline covers it too.
      const check = await untilAborted(checkHost({ hostname: target.hostname }), signal);
      if (check === null) return { ok: false, reason: "timeout", message: `Resolving ${target.hostname} took longer than ${timeoutMs} ms` };
      if (!check.ok) return { ok: false, reason: check.reason, message: check.message };
    }
    const headers = init.sign
      ? await init.sign({ method, url: target.href, headers: new Headers(baseHeaders), body })
      : baseHeaders;

    let response: PlatformResponse;
    try {
      response = await sendHop(ctx, { url: target, method, headers, body, signal });
    } catch (error) {
      return networkFailure(error, signal, target.href, timeoutMs);
    }

    const location = response.headers.get("location");
    if (!REDIRECT_STATUSES.has(response.status) || location === null) {
      const truncate = init.truncateBody === true;
      return readLimited(response, { maxBytes, signal, url: target.href, timeoutMs, truncate });
    }
    await response.discard();
    if (hop >= maxRedirects) {
      return {
        ok: false,
        reason: "tooManyRedirects",
        message: `${url} redirected more than ${maxRedirects} time(s)`,
      };
    }
    const next = parseHttpUrl(location, target);
    if (!next.ok) return next.failure;
    if (next.url.origin !== target.origin) {
      baseHeaders = new Headers(baseHeaders);
      for (const name of CREDENTIAL_HEADERS) baseHeaders.delete(name);
    }
    if (becomesGet(response.status, method)) {
      if (method !== "HEAD") method = "GET";
      body = undefined;
      baseHeaders = new Headers(baseHeaders);
      for (const name of ["content-type", "content-length", "digest", "content-digest"]) baseHeaders.delete(name);
    }
    current = next;
  }
}

/** The promise's value, or null once the signal aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = () => resolve(null);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** As browsers do: 303 always, and 301/302 for anything but GET/HEAD, turn the next hop into a bodiless GET. */
function becomesGet(status: number, method: string): boolean {
  if (status === 303) return true;
  return (status === 301 || status === 302) && method !== "GET" && method !== "HEAD";
}

function parseHttpUrl(value: string, base?: URL): { ok: true; url: URL } | { ok: false; failure: Failure } {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return { ok: false, failure: { ok: false, reason: "invalidUrl", message: `Not a URL: ${JSON.stringify(value)}` } };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    const message = `Only http and https URLs may be fetched, not ${url.protocol}`;
    return { ok: false, failure: { ok: false, reason: "invalidUrl", message } };
  }
  if (url.username !== "" || url.password !== "") {
    const message = `URLs with credentials are not fetched: ${url.host}`;
    return { ok: false, failure: { ok: false, reason: "invalidUrl", message } };
  }
  url.hash = "";
  return { ok: true, url };
}

/**
 * Sends one hop, redirects not followed. The default network goes straight to
 * the dispatcher; a fetch the context was given is called with it instead.
 * Either way the dispatcher re-checks addresses at connect time (a faked fetch
 * simply ignores it).
 */
async function sendHop(ctx: FederationContext, request: PlatformRequest): Promise<PlatformResponse> {
  const dispatcher = await remoteDispatcher(ctx.config);
  if (ctx.fetch === platformFetch) return sendOnDispatcher(dispatcher, request);
  const init: RequestInit & { dispatcher: unknown } = {
    method: request.method,
    headers: request.headers,
    body: request.body as BodyInit | undefined,
    redirect: "manual",
    signal: request.signal,
    dispatcher,
  };
  const response = await ctx.fetch(request.url.href, init);
  return {
    status: response.status,
    headers: response.headers,
    body: response.body ?? EMPTY_BODY,
    discard: async () => {
      await response.body?.cancel().catch(() => undefined);
    },
  };
}

const EMPTY_BODY: AsyncIterable<Uint8Array> = {
  async *[Symbol.asyncIterator]() {},
};

async function readLimited(
  response: PlatformResponse,
  params: { maxBytes: number; signal: AbortSignal; url: string; timeoutMs: number; truncate: boolean },
): Promise<SafeFetchResult> {
  const declared = Number(response.headers.get("content-length"));
  if (!params.truncate && Number.isFinite(declared) && declared > params.maxBytes) {
    await response.discard();
    return tooLarge(params.url, params.maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    // Leaving the loop early closes the body (the stream is cancelled or destroyed).
    for await (const value of response.body) {
      if (total + value.byteLength > params.maxBytes) {
        if (!params.truncate) return tooLarge(params.url, params.maxBytes);
        chunks.push(value.subarray(0, params.maxBytes - total));
        total = params.maxBytes;
        break;
      }
      total += value.byteLength;
      chunks.push(value);
    }
  } catch (error) {
    return networkFailure(error, params.signal, params.url, params.timeoutMs);
  }
  return { ok: true, status: response.status, headers: response.headers, body: concat(chunks, total), url: params.url };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function tooLarge(url: string, maxBytes: number): Failure {
  return { ok: false, reason: "tooLarge", message: `The response from ${url} is larger than ${maxBytes} bytes` };
}

function networkFailure(error: unknown, signal: AbortSignal, url: string, timeoutMs: number): Failure {
  if (signal.aborted || (error instanceof Error && error.name === "TimeoutError")) {
    return { ok: false, reason: "timeout", message: `${url} did not answer within ${timeoutMs} ms` };
  }
  const code = errorCode(error);
  if (code === "EBLOCKEDADDRESS") {
    return { ok: false, reason: "blockedAddress", message: causeMessage(error) };
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ENODATA") {
    return { ok: false, reason: "dnsFailure", message: `Could not resolve the host of ${url}: ${causeMessage(error)}` };
  }
  return { ok: false, reason: "network", message: `Request to ${url} failed: ${causeMessage(error)}` };
}

/** The code of an error or of the first cause that has one (fetch wraps socket errors in a TypeError). */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if ("code" in current && typeof current.code === "string") return current.code;
  }
  return undefined;
}

function causeMessage(error: unknown): string {
  let deepest = error;
  for (let depth = 0; deepest instanceof Error && deepest.cause instanceof Error && depth < 5; depth++) {
    deepest = deepest.cause;
  }
  return deepest instanceof Error ? deepest.message : String(deepest);
}
