/**
 * The first middleware of every request: gives it an id and a logger bound
 * to that id, records whether the `.json` alias was used, and logs the
 * request once answered (at debug, so busy servers stay quiet by default).
 */
import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "../app-env.ts";

/**
 * Request ids: a random prefix per process and a counter. Unique within the
 * process and, by the prefix, most likely across processes writing to one
 * log; a random id per request cost a system call each time.
 */
const processPrefix = randomBytes(4).toString("base64url");
let requestCount = 0;

function nextRequestId(): string {
  requestCount = (requestCount + 1) % Number.MAX_SAFE_INTEGER;
  return `${processPrefix}-${requestCount.toString(36)}`;
}

/** Parameters of {@link requestContext}. */
export interface RequestContextParams {
  readonly logger: Logger;
  /** Whether the router stripped a `.json` alias suffix from this request. */
  readonly hasJsonSuffix: (request: Request) => boolean;
}

/** Sets the per-request variables every route relies on. */
export function requestContext(params: RequestContextParams): MiddlewareHandler<AppEnv> {
  const { logger, hasJsonSuffix } = params;
  return async (c, next) => {
    const requestId = nextRequestId();
    const requestLogger = logger.child({ requestId });
    c.set("requestId", requestId);
    c.set("logger", requestLogger);
    c.set("format", "json");
    c.set("jsonAlias", hasJsonSuffix(c.req.raw));
    const started = performance.now();
    await next();
    if (requestLogger.isLevelEnabled("debug")) {
      requestLogger.debug(
        { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
        "request",
      );
    }
  };
}
