/**
 * How many failed attempts (logins, token requests) a key may make: a fixed
 * window that starts at the first failure; once the window holds too many
 * failures, further attempts wait until it ends. A pure function of the
 * counter and the clock, so the limiter that keeps counters stays trivial.
 */

/** A limit: at most `maxFailures` failures per `windowMs`. */
export interface AttemptPolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
}

/** Failures of one key within its current window. */
export interface AttemptCounter {
  readonly failures: number;
  /** When the window started, in milliseconds. */
  readonly windowStart: number;
}

/** Parameters of {@link attemptVerdict} and {@link countFailure}. */
export interface AttemptParams {
  readonly counter: AttemptCounter | undefined;
  readonly now: number;
  readonly policy: AttemptPolicy;
}

/** Whether another attempt may be made now. */
export type AttemptVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: "tooManyAttempts"; readonly retryAfterMs: number; readonly message: string };

/** Whether a key may try again. */
export function attemptVerdict(params: AttemptParams): AttemptVerdict {
  const { counter, now, policy } = params;
  if (counter === undefined || now >= counter.windowStart + policy.windowMs) return { allowed: true };
  if (counter.failures < policy.maxFailures) return { allowed: true };
  const retryAfterMs = counter.windowStart + policy.windowMs - now;
  return {
    allowed: false,
    reason: "tooManyAttempts",
    retryAfterMs,
    message: `too many failed attempts; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
  };
}

/** The counter after one more failure; a lapsed window starts afresh. */
export function countFailure(params: AttemptParams): AttemptCounter {
  const { counter, now, policy } = params;
  if (counter === undefined || now >= counter.windowStart + policy.windowMs) return { failures: 1, windowStart: now };
  return { failures: counter.failures + 1, windowStart: counter.windowStart };
}
