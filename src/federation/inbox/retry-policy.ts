/**
 * When to try an inbox job again. Inbox work fails mostly because a remote
 * server is briefly unreachable (fetching an actor or a referenced object),
 * so the first retries come quickly and later ones spread out; after a few
 * hours the activity is given up, since the sender has long moved on.
 */

/** Parameters of {@link inboxRetryDelayMs}. */
export interface InboxRetryDelayParams {
  /** Attempts already made, the failed one included (1 after the first failure). */
  readonly attempts: number;
  /** Attempts allowed in all; no delay is given once they are used up. */
  readonly maxAttempts: number;
  /** Delay after the first failure. */
  readonly baseDelayMs?: number;
  /** Longest delay between two attempts. */
  readonly maxDelayMs?: number;
}

const DEFAULT_BASE_DELAY_MS = 30_000;
const DEFAULT_MAX_DELAY_MS = 2 * 3600 * 1000;

/** Attempts an inbox job gets before it is failed. */
export const INBOX_MAX_ATTEMPTS = 8;

/** Attempts a failing plugin gets before its job is failed. */
export const PLUGIN_MAX_ATTEMPTS = 5;

/**
 * The delay before the next attempt, quadrupling from `baseDelayMs` up to
 * `maxDelayMs`, or `null` when the attempts are used up.
 */
export function inboxRetryDelayMs(params: InboxRetryDelayParams): number | null {
  const base = params.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const cap = params.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  if (params.attempts >= params.maxAttempts) return null;
  const exponent = Math.max(0, params.attempts - 1);
  return Math.min(cap, base * 4 ** exponent);
}
