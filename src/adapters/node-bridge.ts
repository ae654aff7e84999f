/**
 * Between Node's http objects and web Requests/Responses, for the adapters
 * of frameworks built on node:http. The body is handed over as a stream read
 * only when Outpost asks for it: a request that is not Outpost's keeps its
 * body untouched for the host application's own parsers, and an inbox POST
 * reaches Outpost byte for byte, as its signature's digest requires.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { Outpost } from "../outpost.ts";

/** What an adapter needs of an Outpost. */
export type AdapterOutpost = Pick<Outpost, "fetch" | "ctx">;

/** Parameters of {@link toWebRequest}. */
export interface ToWebRequestParams {
  readonly req: IncomingMessage;
  /** The public origin the request is answered for. */
  readonly origin: string;
  /** Path and query; default `req.url` (express passes `originalUrl`, which mounting does not shorten). */
  readonly path?: string;
  /** The exact body bytes, when a parser before the adapter consumed the stream but kept them (e.g. a `verify` hook). */
  readonly rawBody?: unknown;
}

/** A bridged request and what became of its body. */
export interface BridgedRequest {
  readonly request: Request;
  /** Whether Outpost read (or tried to read) the body. */
  bodyWanted(): boolean;
  /** Whether the body had been consumed before the adapter, without raw bytes to stand in for it. */
  readonly bodyLost: boolean;
}

/** Raised into the host framework when Outpost needs a body that a parser mounted before it consumed. */
export class BodyConsumedError extends Error {
  constructor() {
    super(
      "Outpost needs the exact bytes of this request's body (its signature covers them), but a body parser mounted " +
        "before Outpost's middleware consumed them. Mount Outpost's middleware before any body parser, or keep the raw " +
        "body as `req.rawBody` (a Buffer) in the parser's `verify` hook.",
    );
    this.name = "BodyConsumedError";
  }
}

/** Builds the web Request for a node request, with a lazily read body. */
export function toWebRequest(params: ToWebRequestParams): BridgedRequest {
  const { req } = params;
  const url = `${params.origin}${params.path ?? req.url ?? "/"}`;
  const method = req.method ?? "GET";
  const headers = new Headers();
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    // HTTP/2 pseudo-headers are not headers of the request.
    if (name.startsWith(":") || values === undefined) continue;
    for (const value of values) headers.append(name, value);
  }
  if (method === "GET" || method === "HEAD") {
    return { request: new Request(url, { method, headers }), bodyWanted: () => false, bodyLost: false };
  }
  let wanted = false;
  const raw = rawBytes(params.rawBody);
  const consumed = req.readableEnded || (req as { _body?: unknown })._body === true || req.readableDidRead;
  let body: ReadableStream<Uint8Array>;
  if (raw !== undefined) {
    body = new ReadableStream<Uint8Array>({
      pull(controller) {
        wanted = true;
        controller.enqueue(raw);
        controller.close();
      },
    }, { highWaterMark: 0 });
  } else if (consumed) {
    body = new ReadableStream<Uint8Array>({
      pull(controller) {
        wanted = true;
        controller.error(new BodyConsumedError());
      },
    }, { highWaterMark: 0 });
  } else {
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    // highWaterMark 0: nothing is read until Outpost reads, so a request that is not Outpost's keeps its body.
    body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        wanted = true;
        reader ??= (Readable.toWeb(req) as ReadableStream<Uint8Array>).getReader();
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel(reason) {
        await reader?.cancel(reason);
      },
    }, { highWaterMark: 0 });
  }
  const request = new Request(url, { method, headers, body, duplex: "half" } as RequestInit);
  return { request, bodyWanted: () => wanted, bodyLost: raw === undefined && consumed };
}

/** Parameters of {@link writeWebResponse}. */
export interface WriteWebResponseParams {
  readonly res: ServerResponse;
  readonly response: Response;
  /** HEAD answers carry headers only. */
  readonly method?: string;
}

/** Writes a web Response to a node response, streaming its body. */
export async function writeWebResponse(params: WriteWebResponseParams): Promise<void> {
  const { res, response } = params;
  res.statusCode = response.status;
  for (const [name, value] of responseHeaders(response)) res.setHeader(name, value);
  if (response.body === null || params.method === "HEAD") {
    await response.body?.cancel();
    res.end();
    return;
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
  }
  res.end();
}

/** A response's headers as name/value pairs for node, with each Set-Cookie kept apart. */
export function responseHeaders(response: Response): [string, string | string[]][] {
  const pairs: [string, string | string[]][] = [];
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") pairs.push([name, value]);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) pairs.push(["set-cookie", cookies]);
  return pairs;
}

function rawBytes(value: unknown): Uint8Array | undefined {
  if (typeof value === "string") return new TextEncoder().encode(value);
  if (value instanceof Uint8Array) return value;
  return undefined;
}
