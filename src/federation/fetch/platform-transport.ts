/**
 * The network remote requests use unless the host application hands Outpost
 * a fetch of its own: undici's request API on the process-wide dispatcher.
 * WHATWG fetch wraps every request and response in Request, Response,
 * Headers and web-stream objects; in a fan-out to ten thousand inboxes that
 * machinery and the garbage it left were a sixth of the main thread's time,
 * which is what bounds such a fan-out.
 */
import type { Dispatcher } from "undici";

/**
 * The default `fetch` of a federation context. It behaves as the global
 * fetch does; `safeFetch` recognizes it and sends through
 * {@link sendOnDispatcher} instead, while any other fetch (a test's fake
 * network, a host's proxying fetch) is called as given.
 */
export const platformFetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init);

/** One request, as `safeFetch` sends each hop. */
export interface PlatformRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Headers;
  readonly body: Uint8Array | string | undefined;
  readonly signal: AbortSignal;
}

/** A response whose body has not been read yet. */
export interface PlatformResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: AsyncIterable<Uint8Array>;
  /** Drops what is left of the body. */
  discard(): Promise<void>;
}

/** Sends one request on a dispatcher; redirects are not followed. */
export async function sendOnDispatcher(dispatcher: Dispatcher, request: PlatformRequest): Promise<PlatformResponse> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const response = await dispatcher.request({
    origin: request.url.origin,
    path: `${request.url.pathname}${request.url.search}`,
    method: request.method as Dispatcher.HttpMethod,
    headers,
    body: request.body ?? null,
    signal: request.signal,
  });
  const body = response.body;
  return {
    status: response.statusCode,
    headers: toHeaders(response.headers),
    body,
    discard: async () => {
      // Reading a short remainder keeps the connection for the next request; a long one is cut.
      await body.dump().catch(() => undefined);
    },
  };
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.append(name, value);
  }
  return headers;
}
