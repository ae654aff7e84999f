/**
 * The token bucket behind rate limits: a client may burst up to `burst`
 * requests, then gets `ratePerMinute` spread evenly over time. Pure: the
 * caller keeps the buckets and supplies the clock.
 */

/** A client's bucket. */
export interface TokenBucket {
  readonly tokens: number;
  /** When `tokens` was computed, in milliseconds. */
  readonly updatedAt: number;
}

/** Parameters of {@link takeToken}. */
export interface TakeTokenParams {
  /** The client's bucket; undefined for a client not seen before (a full bucket). */
  readonly bucket: TokenBucket | undefined;
  readonly now: number;
  /** Tokens added per minute. */
  readonly ratePerMinute: number;
  /** Bucket size: the most requests allowed at once. */
  readonly burst: number;
}

/** Whether the request may go ahead, and the bucket to keep. */
export type TakeTokenResult =
  | { readonly ok: true; readonly bucket: TokenBucket }
  | {
      readonly ok: false;
      readonly reason: "exhausted";
      readonly message: string;
      readonly bucket: TokenBucket;
      /** How long until one token is back. */
      readonly retryAfterMs: number;
    };

/** Refills the bucket for the time passed and takes one token if there is one. */
export function takeToken(params: TakeTokenParams): TakeTokenResult {
  const { now, burst } = params;
  const perMs = Math.max(0, params.ratePerMinute) / 60_000;
  const previous = params.bucket ?? { tokens: burst, updatedAt: now };
  // A clock that went backwards refills nothing rather than draining the bucket.
  const elapsed = Math.max(0, now - previous.updatedAt);
  const tokens = Math.min(burst, previous.tokens + elapsed * perMs);
  if (tokens >= 1) return { ok: true, bucket: { tokens: tokens - 1, updatedAt: now } };
  const retryAfterMs = perMs > 0 ? Math.ceil((1 - tokens) / perMs) : Number.POSITIVE_INFINITY;
  return {
    ok: false,
    reason: "exhausted",
    message: "too many requests",
    bucket: { tokens, updatedAt: now },
    retryAfterMs,
  };
}
