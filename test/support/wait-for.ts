/**
 * Waiting for something asynchronous to become true: deliveries and inbox
 * jobs run in the background, so end-to-end tests poll for their effects
 * instead of sleeping a fixed time. The wait is bounded, and a timeout says
 * what was awaited and what the last probe saw.
 */

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long; default 10 s. */
  readonly timeoutMs?: number;
  /** Named in the timeout error. */
  readonly message?: string;
}

/** What a probe answers: the awaited value, or nothing yet. */
export type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

const DEFAULT_TIMEOUT_MS = 10_000;
const FIRST_INTERVAL_MS = 5;
const MAX_INTERVAL_MS = 100;

/**
 * Calls `probe` until it answers something other than undefined, null or
 * false, and resolves with that answer. Rejects when the time is up, or at
 * once when the probe throws.
 */
export async function waitFor<T>(probe: Probe<T>, options: WaitForOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  // Short first intervals keep fast paths fast; the cap keeps a long wait from busy-looping.
  let interval = FIRST_INTERVAL_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.message ?? "a condition"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(1, deadline - Date.now()))));
    interval = Math.min(interval * 2, MAX_INTERVAL_MS);
  }
}
