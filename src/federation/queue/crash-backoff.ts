/**
 * When to run a job again whose handler threw. A throw is a bug or an outage
 * (the database, say), not a verdict on the job, so it is retried a bounded
 * number of times with growing pauses and then parked as failed for a human.
 */

/** Attempts after which a job whose handler keeps throwing is failed. */
export const MAX_CRASH_ATTEMPTS = 10;
const BASE_DELAY_MS = 10_000;
const MAX_DELAY_MS = 3600 * 1000;

/** Parameters of {@link crashRetryAt}. */
export interface CrashRetryParameters {
  /** Attempts made before this one (the job record's `attempts`). */
  readonly attempts: number;
  readonly now: Date;
}

/** When to try again after the handler threw, or null to give up. */
export function crashRetryAt(params: CrashRetryParameters): Date | null {
  const attempt = params.attempts + 1;
  if (attempt >= MAX_CRASH_ATTEMPTS) return null;
  const delay = Math.min(BASE_DELAY_MS * 2 ** params.attempts, MAX_DELAY_MS);
  return new Date(params.now.getTime() + delay);
}
