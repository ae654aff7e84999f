/**
 * A fake network for tests of code that talks to other servers: routes
 * answer by exact URL (without fragment), every request is recorded, and an
 * unrouted URL answers 404 as a real server would.
 */

/** A request as the fake network saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
}

/** Answers one request. */
export type FakeRoute = (request: RecordedRequest) => Response | Promise<Response>;

/** A fetch that serves the routes it was given. */
export interface FakeNetwork {
  readonly fetch: typeof globalThis.fetch;
  readonly requests: RecordedRequest[];
  /** Adds or replaces the route of a URL. */
  route(url: string, handler: FakeRoute): void;
  /** Serves a JSON document at a URL (as application/activity+json unless told otherwise). */
  serveJson(url: string, document: unknown, init?: { status?: number; contentType?: string }): void;
  /** Requests made to a URL (fragment ignored). */
  requestsTo(url: string): RecordedRequest[];
}

/** Creates an empty fake network. */
export function createFakeNetwork(): FakeNetwork {
  const routes = new Map<string, FakeRoute>();
  const requests: RecordedRequest[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      body: request.body === null ? "" : await request.text(),
    };
    requests.push(recorded);
    init?.signal?.throwIfAborted();
    const handler = routes.get(stripHash(request.url));
    if (handler === undefined) return new Response("not found", { status: 404 });
    return handler(recorded);
  }) as typeof globalThis.fetch;
  return {
    fetch,
    requests,
    route(url, handler) {
      routes.set(stripHash(url), handler);
    },
    serveJson(url, document, init = {}) {
      routes.set(stripHash(url), () =>
        new Response(JSON.stringify(document), {
          status: init.status ?? 200,
          headers: { "content-type": init.contentType ?? "application/activity+json; charset=utf-8" },
        }),
      );
    },
    requestsTo(url) {
      const target = stripHash(url);
      return requests.filter((r) => stripHash(r.url) === target);
    },
  };
}

function stripHash(url: string): string {
  const hash = url.indexOf("#");
  return hash === -1 ? url : url.slice(0, hash);
}
