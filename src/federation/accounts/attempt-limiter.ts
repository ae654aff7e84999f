/**
 * Counts failed attempts per client address and per username in memory,
 * bounded: past `maxKeys` the least recently failed keys are forgotten, so a
 * flood of distinct addresses cannot grow memory. Counting per username too
 * stops a guesser who spreads attempts over many addresses.
 */
import { attemptVerdict, countFailure, type AttemptCounter, type AttemptPolicy, type AttemptVerdict } from "./attempt-policy.ts";

/** Limits per address and per username. */
export interface AttemptLimits {
  readonly perAddress: AttemptPolicy;
  readonly perUsername: AttemptPolicy;
  /** Counters kept at once. */
  readonly maxKeys: number;
}

/** Default limits: 20 failures per address and 10 per username in 15 minutes. */
export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = {
  perAddress: { maxFailures: 20, windowMs: 15 * 60_000 },
  perUsername: { maxFailures: 10, windowMs: 15 * 60_000 },
  maxKeys: 10_000,
};

/** Who is attempting. */
export interface AttemptKey {
  readonly address: string;
  /** The account tried, when there is one. */
  readonly username?: string;
}

/** The in-memory attempt counters. */
export interface AttemptLimiter {
  /** Whether an attempt may go ahead now. */
  check(params: AttemptKey & { readonly now: number }): AttemptVerdict;
  /** Counts a failed attempt against the address and the username. */
  fail(params: AttemptKey & { readonly now: number }): void;
  /** A correct login clears the username's failures (never the address's: a guesser may know one password). */
  succeed(params: { readonly username: string }): void;
}

/** Parameters of {@link createAttemptLimiter}. */
export interface CreateAttemptLimiterParams {
  readonly limits?: AttemptLimits;
}

/** Creates empty counters. */
export function createAttemptLimiter(params: CreateAttemptLimiterParams = {}): AttemptLimiter {
  const limits = params.limits ?? DEFAULT_ATTEMPT_LIMITS;
  const counters = new Map<string, AttemptCounter>();
  const keysOf = (key: AttemptKey): [string, AttemptPolicy][] => {
    const keys: [string, AttemptPolicy][] = [[`address:${key.address}`, limits.perAddress]];
    if (key.username !== undefined && key.username !== "") {
      keys.push([`username:${key.username.toLowerCase()}`, limits.perUsername]);
    }
    return keys;
  };
  return {
    check(params) {
      let worst: AttemptVerdict = { allowed: true };
      for (const [key, policy] of keysOf(params)) {
        const verdict = attemptVerdict({ counter: counters.get(key), now: params.now, policy });
        if (!verdict.allowed && (worst.allowed || verdict.retryAfterMs > worst.retryAfterMs)) worst = verdict;
      }
      return worst;
    },
    fail(params) {
      for (const [key, policy] of keysOf(params)) {
        const next = countFailure({ counter: counters.get(key), now: params.now, policy });
        // Re-inserting keeps the map in least-recently-failed order, so the first key is the one to drop.
        counters.delete(key);
        counters.set(key, next);
      }
      while (counters.size > limits.maxKeys) {
        const oldest = counters.keys().next();
        if (oldest.done === true) break;
        counters.delete(oldest.value);
      }
    },
    succeed(params) {
      counters.delete(`username:${params.username.toLowerCase()}`);
    },
  };
}
