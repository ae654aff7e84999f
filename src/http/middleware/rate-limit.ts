/**
 * Rate limiting per client: one token bucket per key (the client address by
 * default), kept in a bounded map so that a flood of distinct addresses
 * cannot grow memory without end.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { errorResponse } from "../errors.ts";
import { takeToken, type TokenBucket } from "./token-bucket.ts";

/** A rate limit's settings. */
export interface RateLimitOptions {
  /** What is limited, for logs. */
  readonly name: string;
  /** Sustained requests per minute per key. */
  readonly perMinute?: number;
  /** Requests allowed at once per key. */
  readonly burst?: number;
  /** Buckets kept; the least recently used is dropped beyond this. */
  readonly maxKeys?: number;
  /** The bucket a request counts against. */
  readonly keyOf: (c: Context<AppEnv>) => string;
  /** The clock in milliseconds; tests replace it. */
  readonly now?: () => number;
}

/** Middleware answering 429 with Retry-After once a key's bucket is empty. */
export function rateLimit({
  name,
  perMinute = 300,
  burst = 100,
  maxKeys = 10_000,
  keyOf,
  now = Date.now,
}: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, TokenBucket>();
  return async (c, next) => {
    const key = keyOf(c);
    const result = takeToken({ bucket: buckets.get(key), now: now(), ratePerMinute: perMinute, burst });
    // Re-inserting keeps the map in least-recently-used order, so the first key is the one to drop.
    buckets.delete(key);
    buckets.set(key, result.bucket);
    if (buckets.size > maxKeys) {
      const oldest = buckets.keys().next();
      if (oldest.done !== true) buckets.delete(oldest.value);
    }
    if (!result.ok) {
      const seconds = Number.isFinite(result.retryAfterMs) ? Math.max(1, Math.ceil(result.retryAfterMs / 1000)) : 3600;
      c.get("logger")?.debug({ limit: name, key }, "rate limited");
      return errorResponse({ c, status: 429, message: result.message, headers: { "Retry-After": String(seconds) } });
    }
    await next();
  };
}
