/**
 * Rate limiting per client: each request draws on a token bucket per key
 * (the client address by default) of `burst` requests refilled at
 * `perMinute`. The buckets live in a counter: by default one in this
 * process's memory, bounded in size; when several web processes serve one
 * instance, the database's counter, so that a client's budget is counted
 * once across all of them.
 */
import type { Context, MiddlewareHandler } from "hono";
import { sharedRateLimitCounterOf, type RateLimitCounter } from "../../store/rate-limit-repository.ts";
import type { Store } from "../../store/store.ts";
import type { AppEnv } from "../app-env.ts";
import type { RateLimitSettings } from "../app.ts";
import { errorResponse } from "../errors.ts";
import { createMemoryRateLimitCounter } from "./memory-rate-limit-counter.ts";

/** A rate limit's settings. */
export interface RateLimitOptions {
  /** What is limited, for logs; also keeps the keys of different limits apart in a shared counter. */
  readonly name: string;
  /** Sustained requests per minute per key. */
  readonly perMinute?: number;
  /** Requests allowed at once per key. */
  readonly burst?: number;
  /** Buckets kept by the default in-memory counter; the least recently used is dropped beyond this. */
  readonly maxKeys?: number;
  /** Where buckets are kept; default a new in-memory counter of `maxKeys` keys. */
  readonly counter?: RateLimitCounter;
  /** The bucket a request counts against. */
  readonly keyOf: (c: Context<AppEnv>) => string;
  /** The clock in milliseconds; tests replace it. */
  readonly now?: () => number;
}

/** A refill slower than this is treated as this slow (a limit of 0 a minute, say). */
const LONGEST_WINDOW_MS = 24 * 3600 * 1000;

/** Middleware answering 429 with Retry-After once a key's bucket is empty. */
export function rateLimit({
  name,
  perMinute = 300,
  burst = 100,
  maxKeys = 10_000,
  counter,
  keyOf,
  now = Date.now,
}: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const buckets = counter ?? createMemoryRateLimitCounter({ maxKeys });
  const limit = Math.max(1, Math.floor(burst));
  const windowMs = perMinute > 0 ? Math.min(LONGEST_WINDOW_MS, (limit * 60_000) / perMinute) : LONGEST_WINDOW_MS;
  return async (c, next) => {
    const key = keyOf(c);
    let verdict: Awaited<ReturnType<RateLimitCounter["hit"]>>;
    try {
      verdict = await buckets.hit(`${name}:${key}`, { limit, windowMs, now: new Date(now()) });
    } catch (error) {
      // A limit whose counter cannot be reached (the database restarting) lets requests through rather than refusing everyone.
      c.get("logger")?.warn({ limit: name, err: error }, "rate limit counter failed; request let through");
      await next();
      return;
    }
    if (!verdict.allowed) {
      const seconds = Number.isFinite(verdict.retryAfterMs) ? Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) : 3600;
      c.get("logger")?.debug({ limit: name, key }, "rate limited");
      return errorResponse({ c, status: 429, message: verdict.message, headers: { "Retry-After": String(seconds) } });
    }
    await next();
  };
}

/** Parameters of {@link withRateLimitCounter}. */
export interface WithRateLimitCounterParams<S extends object> {
  /** The app's rate-limit settings (one entry per limit); `false` turns them all off. */
  readonly settings: S | false | undefined;
  /** The counter every limit should keep its buckets in; undefined leaves the settings as they are. */
  readonly counter: RateLimitCounter | undefined;
  /** The names of the limits to give the counter when `settings` is undefined (every default limit). */
  readonly limits: readonly (keyof S & string)[];
}

/**
 * The same rate-limit settings with every enabled limit keeping its buckets
 * in `counter`, e.g. the database's when several web processes serve one
 * instance. A limit turned off (`false`) stays off.
 */
export function withRateLimitCounter<S extends object>(params: WithRateLimitCounterParams<S>): S | false | undefined {
  const { settings, counter } = params;
  if (settings === false || counter === undefined) return settings;
  const given = (settings ?? {}) as Record<string, unknown>;
  const names = new Set([...params.limits, ...Object.keys(given)]);
  const shared: Record<string, unknown> = { ...given };
  for (const name of names) {
    const setting = given[name];
    if (setting === false) continue;
    shared[name] = { ...(typeof setting === "object" && setting !== null ? setting : {}), counter };
  }
  return shared as S;
}

/** Parameters of {@link rateLimitsForStore}. */
export interface RateLimitsForStoreParams {
  readonly store: Store;
  /** The app's settings as given (undefined for the defaults, `false` for none). */
  readonly settings: RateLimitSettings | false | undefined;
}

/** The limits of the HTTP app; a limit the app adds belongs here too, to be shared. */
const APP_LIMITS = ["inbox", "webfinger"] as const satisfies readonly (keyof RateLimitSettings)[];

/**
 * The app's rate-limit settings for a store: on PostgreSQL, where several web
 * processes may serve one instance, every limit counts in the database;
 * otherwise the settings are returned as they are (counted in memory).
 */
export function rateLimitsForStore(params: RateLimitsForStoreParams): RateLimitSettings | false | undefined {
  return withRateLimitCounter<RateLimitSettings>({
    settings: params.settings,
    counter: sharedRateLimitCounterOf({ store: params.store }),
    limits: APP_LIMITS,
  });
}
