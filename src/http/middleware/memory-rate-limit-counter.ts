/**
 * The rate-limit counter of a single process: one token bucket per key in a
 * bounded map, so that a flood of distinct clients cannot grow memory without
 * end. Exact and cheap while one process serves the instance; several web
 * processes share the database's counter instead (see
 * store/rate-limit-repository.ts), which applies the same rule.
 */
import type { RateLimitCounter } from "../../store/rate-limit-repository.ts";
import { takeToken, type TokenBucket } from "./token-bucket.ts";

/** Parameters of {@link createMemoryRateLimitCounter}. */
export interface MemoryRateLimitCounterParams {
  /** Keys tracked at once; the least recently seen is forgotten first. */
  readonly maxKeys: number;
}

/** A counter kept in this process's memory. */
export function createMemoryRateLimitCounter(params: MemoryRateLimitCounterParams): RateLimitCounter {
  const maxKeys = Math.max(1, Math.floor(params.maxKeys));
  const buckets = new Map<string, TokenBucket>();
  return {
    async hit(key, { limit, windowMs, now }) {
      const burst = Math.max(1, Math.floor(limit));
      const result = takeToken({
        bucket: buckets.get(key),
        now: now.getTime(),
        ratePerMinute: windowMs > 0 ? (burst * 60_000) / windowMs : Number.POSITIVE_INFINITY,
        burst,
      });
      // Re-inserting keeps the map in least-recently-used order, so the first key is the one to drop.
      buckets.delete(key);
      buckets.set(key, result.bucket);
      if (buckets.size > maxKeys) {
        const oldest = buckets.keys().next();
        if (oldest.done !== true) buckets.delete(oldest.value);
      }
      if (result.ok) return { allowed: true, retryAfterMs: 0 };
      return { allowed: false, reason: "exhausted", message: result.message, retryAfterMs: result.retryAfterMs };
    },
  };
}
