/**
 * The one error type routes throw, and the one place errors become
 * responses. A route that cannot answer throws an {@link HttpError}; anything
 * else that escapes a handler is a bug, logged with its stack and answered
 * with a bare 500 so no internals leak.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import type { AppEnv } from "./app-env.ts";
import { htmlHeaders, renderMessagePage } from "./html/layout.ts";

/** What an {@link HttpError} is made from. */
export interface HttpErrorParams {
  readonly status: ContentfulStatusCode;
  /** Shown to the client: must not contain internals. */
  readonly message: string;
  /** Logged, never shown. */
  readonly cause?: unknown;
  /** Extra response headers, e.g. Retry-After or WWW-Authenticate. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error with a status and a message that is safe to show. */
export class HttpError extends Error {
  readonly status: ContentfulStatusCode;
  readonly headers: Readonly<Record<string, string>>;

  constructor(params: HttpErrorParams) {
    super(params.message, params.cause === undefined ? undefined : { cause: params.cause });
    this.name = "HttpError";
    this.status = params.status;
    this.headers = params.headers ?? {};
  }
}

const REASON_TITLES: Readonly<Partial<Record<number, string>>> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  406: "Not acceptable",
  410: "Gone",
  413: "Too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Server error",
};

/** Parameters of {@link errorResponse}. */
export interface ErrorResponseParams {
  readonly c: Context<AppEnv>;
  readonly status: ContentfulStatusCode;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * An error response in the request's format: `{ "error": message }` for JSON
 * routes, a small page for HTML ones.
 */
export function errorResponse(params: ErrorResponseParams): Response {
  const { c, status, message } = params;
  const extra = params.headers ?? {};
  if (c.get("format") === "html") {
    const title = REASON_TITLES[status] ?? `Error ${status}`;
    return c.body(renderMessagePage({ title, message }), status, { ...htmlHeaders(), ...extra });
  }
  return c.body(JSON.stringify({ error: message }), status, {
    "Content-Type": "application/json; charset=utf-8",
    ...extra,
  });
}

/** Parameters of {@link renderError}. */
export interface RenderErrorParams {
  readonly c: Context<AppEnv>;
  readonly error: unknown;
  /** Used when the request failed before its own logger was set. */
  readonly logger: Logger;
}

/** Turns anything a handler threw into a response; the app's `onError`. */
export function renderError(params: RenderErrorParams): Response {
  const { c, error } = params;
  const logger = c.get("logger") ?? params.logger;
  if (error instanceof HttpError) {
    if (error.cause !== undefined) {
      logger.debug({ err: error.cause, status: error.status }, error.message);
    }
    return errorResponse({ c, status: error.status, message: error.message, headers: error.headers });
  }
  if (error instanceof HTTPException && error.status < 500) {
    return errorResponse({ c, status: error.status, message: error.message || "bad request" });
  }
  logger.error({ err: error, method: c.req.method, path: c.req.path }, "request failed");
  return errorResponse({ c, status: 500, message: "internal error" });
}
