/**
 * When to try a failed delivery again. Remote servers go down for minutes
 * (restarts), hours (maintenance) or for good, so attempts spread out
 * exponentially and stop once the activity is too old to matter.
 */

/** First retry delay; each further attempt doubles it. */
export const BASE_RETRY_DELAY_MS = 30_000;
/** No two attempts are further apart than this. */
export const MAX_RETRY_DELAY_MS = 12 * 3600 * 1000;
/** Spread of the random jitter around the computed delay (±20%), so retries from many jobs do not arrive in lockstep. */
export const RETRY_JITTER = 0.2;

/** Parameters of {@link nextDeliveryAttempt}. */
export interface NextDeliveryAttemptParameters {
  /** Attempts made so far, including the one that just failed (1 after the first failure). */
  readonly attempts: number;
  /** When the delivery was first queued. */
  readonly firstQueuedAt: Date;
  readonly now: Date;
  /** What the server asked for with Retry-After, if anything. */
  readonly retryAfterMs?: number;
  /** How long after first queuing the delivery is given up. */
  readonly maxAgeMs: number;
  /** A number in [0, 1); `Math.random` unless a test pins it. */
  readonly random?: () => number;
}

/** The time of the next attempt, or null when the delivery should be given up. */
export function nextDeliveryAttempt(params: NextDeliveryAttemptParameters): Date | null {
  const deadline = params.firstQueuedAt.getTime() + params.maxAgeMs;
  if (params.now.getTime() >= deadline) return null;
  const exponent = Math.max(0, params.attempts - 1);
  // 2^exponent overflows to Infinity for absurd attempt counts; the cap handles it.
  const base = Math.min(BASE_RETRY_DELAY_MS * 2 ** exponent, MAX_RETRY_DELAY_MS);
  const random = params.random ?? Math.random;
  const jittered = base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random());
  const delay = Math.max(Math.min(jittered, MAX_RETRY_DELAY_MS), params.retryAfterMs ?? 0);
  const at = params.now.getTime() + Math.round(delay);
  if (at > deadline) return null;
  return new Date(at);
}
