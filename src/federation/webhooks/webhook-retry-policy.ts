/**
 * When to try a failed webhook delivery (or a failed onInteraction hook)
 * again, and how a receiver's answer is read. Chat services rate-limit and
 * go down for minutes, so attempts spread out exponentially; after a day
 * the event is stale and given up.
 */
import type { SafeFetchResult } from "../fetch/safe-fetch.ts";
import { parseRetryAfter } from "../delivery/retry-after.ts";

/** Attempts a delivery gets in all. */
export const WEBHOOK_MAX_ATTEMPTS = 10;
/** Delay after the first failure; each further failure doubles it. */
export const WEBHOOK_BASE_DELAY_MS = 30_000;
/** Longest pause between two attempts. */
export const WEBHOOK_MAX_DELAY_MS = 3 * 3600 * 1000;
/** Spread of the random jitter (±20%), so a receiver coming back is not hit by every retry at once. */
export const WEBHOOK_JITTER = 0.2;

/** Parameters of {@link nextWebhookAttempt}. */
export interface NextWebhookAttemptParams {
  /** Attempts made so far, the failed one included (1 after the first failure). */
  readonly attempts: number;
  readonly now: Date;
  /** What the receiver asked for with Retry-After. */
  readonly retryAfterMs?: number;
  /** A number in [0, 1); Math.random unless a test pins it. */
  readonly random?: () => number;
}

/** The time of the next attempt, or null when the delivery should be given up. */
export function nextWebhookAttempt(params: NextWebhookAttemptParams): Date | null {
  if (params.attempts >= WEBHOOK_MAX_ATTEMPTS) return null;
  const exponent = Math.max(0, params.attempts - 1);
  const base = Math.min(WEBHOOK_BASE_DELAY_MS * 2 ** exponent, WEBHOOK_MAX_DELAY_MS);
  const random = params.random ?? Math.random;
  const jittered = base * (1 - WEBHOOK_JITTER + 2 * WEBHOOK_JITTER * random());
  // A receiver's Retry-After is honoured, within the longest pause.
  const delay = Math.min(Math.max(jittered, params.retryAfterMs ?? 0), WEBHOOK_MAX_DELAY_MS);
  return new Date(params.now.getTime() + Math.round(delay));
}

/** How a delivery went. */
export type WebhookResponseClass =
  | { readonly kind: "delivered"; readonly status: number }
  | { readonly kind: "retry"; readonly message: string; readonly retryAfterMs?: number }
  | { readonly kind: "refused"; readonly message: string };

/** Parameters of {@link classifyWebhookResponse}. */
export interface ClassifyWebhookResponseParams {
  readonly response: SafeFetchResult;
  readonly url: string;
  readonly now: Date;
}

/** Network failures that a later attempt may not meet. */
const RETRYABLE_FAILURES: ReadonlySet<string> = new Set(["timeout", "network", "dnsFailure"]);

/**
 * 2xx is delivered; 408, 429, 5xx and failures to connect are retried; any
 * other answer (a 404 of a deleted chat hook, a blocked address) is a refusal
 * that retrying will not change.
 */
export function classifyWebhookResponse(params: ClassifyWebhookResponseParams): WebhookResponseClass {
  const { response, url } = params;
  if (!response.ok) {
    const message = `webhook ${url} failed: ${response.message}`;
    return RETRYABLE_FAILURES.has(response.reason) ? { kind: "retry", message } : { kind: "refused", message };
  }
  const { status } = response;
  if (status >= 200 && status <= 299) return { kind: "delivered", status };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter({ value: response.headers.get("retry-after"), now: params.now });
    const message = `webhook ${url} answered HTTP ${status}`;
    return retryAfterMs === undefined ? { kind: "retry", message } : { kind: "retry", message, retryAfterMs };
  }
  return { kind: "refused", message: `webhook ${url} refused the delivery with HTTP ${status}` };
}
