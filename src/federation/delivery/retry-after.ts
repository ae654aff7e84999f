/**
 * Reading a `Retry-After` header: either a number of seconds or an HTTP date.
 * Servers that rate-limit say when to come back; coming back earlier only
 * earns another 429.
 */

/** Parameters of {@link parseRetryAfter}. */
export interface RetryAfterParameters {
  readonly value: string | null;
  readonly now: Date;
}

/** Milliseconds to wait, or undefined when the header is absent or unreadable. Dates in the past mean 0. */
export function parseRetryAfter(params: RetryAfterParameters): number | undefined {
  const value = params.value?.trim();
  if (value === undefined || value === "") return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Only the HTTP date shapes, not whatever else Date.parse would guess at.
  if (!/^[A-Za-z]{3},? /.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - params.now.getTime());
}
